import { Rng } from "./prng";
import { formatMinor } from "./money";
import type { ProductRecord, VariantRecord } from "./types";

export const PRODUCT_ID_BASE = 8_200_000_000_000;
export const VARIANT_ID_BASE = 4_400_000_000_000;
const STREAM = 3;

const ADJECTIVES = ["Cozy", "Classic", "Alpine", "Festive", "Merino", "Everyday", "Velvet", "Nordic", "Golden", "Urban"];
const NOUNS = ["Sweater", "Scarf", "Candle", "Mug", "Beanie", "Blanket", "Tote", "Socks", "Gift Box", "Ornament", "Tea Set"];
const TYPES = ["Apparel", "Home", "Accessories", "Gifts"];
const VENDORS = ["North & Pine", "Hearthside", "Kettle Co.", "Lumen Studio"];
const OPTION_SETS = [["Default Title"], ["S", "M", "L"], ["Red", "Green", "Navy"], ["S", "M", "L", "XL"], ["Small", "Large"]];

export function generateProducts(seed: number, count: number, startMs: number): ProductRecord[] {
  const products: ProductRecord[] = [];
  let variantSeq = 0;
  for (let k = 0; k < count; k++) {
    const rng = Rng.for(seed, STREAM, k);
    const title = `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} ${k + 1}`;
    const createdAt = new Date(startMs + k * 3_600_000).toISOString();
    const basePrice = Math.max(500, Math.round(rng.logNormal(Math.log(3500), 0.7) / 100) * 100 - 1);
    const options = rng.pick(OPTION_SETS);
    const soldOut = rng.chance(0.12);
    const id = PRODUCT_ID_BASE + k + 1;
    const variants: VariantRecord[] = options.map((option, position) => {
      const inventoryQuantity = soldOut || rng.chance(0.08) ? 0 : rng.int(1, 250);
      const priceMinor = basePrice + (position > 1 ? 500 : 0);
      variantSeq += 1;
      return {
        id: `gid://shopify/ProductVariant/${VARIANT_ID_BASE + variantSeq}`,
        legacyResourceId: String(VARIANT_ID_BASE + variantSeq),
        title: option,
        displayName: option === "Default Title" ? title : `${title} - ${option}`,
        sku: `SKU-${k + 1}-${position + 1}`,
        price: formatMinor(priceMinor),
        position: position + 1,
        inventoryQuantity,
        availableForSale: inventoryQuantity > 0,
        createdAt,
        updatedAt: createdAt,
        _productIndex: k,
        _priceMinor: priceMinor,
      };
    });
    const totalInventory = variants.reduce((s, v) => s + v.inventoryQuantity, 0);
    const handle = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const vendor = rng.pick(VENDORS);
    const productType = rng.pick(TYPES);
    const status = rng.weighted([["ACTIVE", 92], ["DRAFT", 5], ["ARCHIVED", 3]] as const);
    const tags = rng.chance(0.3) ? ["holiday"] : [];
    // Drawn after everything else, so adding them left earlier products' values as they were.
    const published = status === "ACTIVE" && !rng.chance(0.05);
    const imageUrl = rng.chance(0.85) ? `https://cdn.example/products/${handle}.jpg` : null;
    products.push({
      id: `gid://shopify/Product/${id}`,
      legacyResourceId: String(id),
      title,
      handle,
      vendor,
      productType,
      status,
      tags,
      createdAt,
      updatedAt: createdAt,
      publishedAt: published ? createdAt : null,
      _imageUrl: imageUrl,
      totalInventory,
      totalVariants: variants.length,
      hasOutOfStockVariants: variants.some((v) => v.inventoryQuantity <= 0),
      tracksInventory: true,
      variants,
      _index: k,
    });
  }
  return products;
}
