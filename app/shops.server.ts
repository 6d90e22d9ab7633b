import type { PrismaClient } from "@prisma/client";

/** A shop installed (or re-installed) the app: remember it and its granted scopes. */
export async function recordInstall(
  prisma: PrismaClient,
  args: { shop: string; scopes: string },
): Promise<void> {
  const now = new Date();
  const existing = await prisma.shop.findUnique({ where: { domain: args.shop }, select: { uninstalledAt: true } });
  // A reinstall starts a new installation: a late app/uninstalled from before it must not end it.
  const reinstalled = existing?.uninstalledAt != null;
  await prisma.shop.upsert({
    where: { domain: args.shop },
    create: { domain: args.shop, scopes: args.scopes, installedAt: now },
    update: { scopes: args.scopes, uninstalledAt: null, ...(reinstalled ? { installedAt: now } : {}) },
  });
}

/** The app was uninstalled: its sessions are useless now, and all work for the shop stops. */
export async function recordUninstall(prisma: PrismaClient, shop: string): Promise<void> {
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.updateMany({ where: { domain: shop }, data: { uninstalledAt: new Date() } }),
  ]);
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
