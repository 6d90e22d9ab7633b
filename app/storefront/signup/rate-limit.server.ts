import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";

// At most SIGNUPS_PER_MINUTE signup posts per shop, shopper address and minute, counted in the
// database so every web process shares one count. The address is kept hashed: the limit needs no
// more. One statement: concurrent posts cannot both take the last slot.

export const SIGNUPS_PER_MINUTE = 5;

const ipHash = (ip: string) => createHash("sha256").update(ip).digest("hex").slice(0, 32);

export async function takeSignupSlot(
  prisma: Pick<PrismaClient, "$queryRaw">,
  shop: string,
  ip: string | null,
  now: Date,
): Promise<boolean> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const rows = await prisma.$queryRaw<Array<{ attempts: number }>>`
    INSERT INTO "SignupAttempt" ("shop", "ipHash", "minute", "attempts")
    VALUES (${shop}, ${ipHash(ip ?? "unknown")}, ${minute}, 1)
    ON CONFLICT ("shop", "ipHash", "minute") DO UPDATE SET "attempts" = "SignupAttempt"."attempts" + 1
    RETURNING "attempts"`;
  return (rows[0]?.attempts ?? 1) <= SIGNUPS_PER_MINUTE;
}

/** Old minutes are of no use to the limit. */
export async function forgetSignupAttempts(prisma: Pick<PrismaClient, "signupAttempt">, before: Date): Promise<number> {
  return (await prisma.signupAttempt.deleteMany({ where: { minute: { lt: before } } })).count;
}
