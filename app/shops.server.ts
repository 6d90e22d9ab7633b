import type { PrismaClient } from "@prisma/client";

/**
 * Shopify granted the app a token for the shop (after auth): a first install, a reinstall, or a
 * token obtained again because the last one stopped working — which happens only when the app was
 * uninstalled. Either way the app is installed now, so `installedAt` moves to now: an
 * app/uninstalled triggered before it is about an earlier installation and must not end this one.
 */
export async function recordInstall(
  prisma: PrismaClient,
  args: { shop: string; scopes: string },
): Promise<void> {
  const now = new Date();
  await prisma.shop.upsert({
    where: { domain: args.shop },
    create: { domain: args.shop, scopes: args.scopes, installedAt: now },
    update: { scopes: args.scopes, uninstalledAt: null, installedAt: now },
  });
}

/**
 * app/uninstalled, triggered at `triggeredAt`: the sessions are useless now and all work for the shop
 * stops — unless the shop installed the app again after that moment (a late or redelivered
 * uninstall). Returns whether the uninstall was applied.
 */
export async function recordUninstall(prisma: PrismaClient, shop: string, triggeredAt: Date): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const ended = await tx.shop.updateMany({
      where: { domain: shop, installedAt: { lte: triggeredAt } },
      data: { uninstalledAt: triggeredAt },
    });
    if (ended.count === 0 && (await tx.shop.count({ where: { domain: shop } })) > 0) return false;
    await tx.session.deleteMany({ where: { shop } });
    return true;
  });
}

export async function recordScopes(
  prisma: PrismaClient,
  args: { shop: string; scopes: string },
): Promise<void> {
  await prisma.$transaction([
    prisma.session.updateMany({ where: { shop: args.shop }, data: { scope: args.scopes } }),
    prisma.shop.updateMany({ where: { domain: args.shop }, data: { scopes: args.scopes } }),
  ]);
}
