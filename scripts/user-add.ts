/** npm run user:add -- --email you@example.com --role admin [--name "Your Name"] [--password …] */
import { stdin, stdout } from "node:process";
import readline from "node:readline";
import { z } from "zod";
import { createUser, SYSTEM_ACTOR, UserConflictError } from "@/db/queries/users";
import { hashPassword, passwordProblem } from "@/lib/auth/password";
import { roleSchema } from "@/lib/users/schemas";
import { parseArgs, withDatabase } from "./_cli";

const { flags } = parseArgs(process.argv.slice(2));
const args = z
  .object({
    email: z.string().email("--email must be an email address"),
    role: roleSchema.default("agent"),
    name: z.string().optional(),
    password: z.string().optional(),
  })
  .safeParse({ ...flags, email: flags.email === true ? "" : flags.email });
if (!args.success) {
  console.error(`${args.error.issues[0]?.message}\nUsage: npm run user:add -- --email you@example.com --role agent|reviewer|admin [--name "Name"]`);
  process.exit(2);
}

async function askPassword(): Promise<string> {
  if (!stdin.isTTY) {
    // Piped input: read the first line (for scripts and tests).
    const rl = readline.createInterface({ input: stdin });
    const line = await new Promise<string>((resolve) => {
      rl.once("line", resolve);
      rl.once("close", () => resolve(""));
    });
    rl.close();
    return line;
  }
  stdout.write("Password (at least 12 characters): ");
  stdin.setRawMode(true);
  let value = "";
  for await (const chunk of stdin) {
    for (const ch of String(chunk)) {
      if (ch === "\r" || ch === "\n") {
        stdin.setRawMode(false);
        stdout.write("\n");
        return value;
      }
      if (ch === "\u0003") process.exit(130);
      value = ch === "\u007f" ? value.slice(0, -1) : value + ch;
    }
  }
  return value;
}

const password = args.data.password ?? (await askPassword());
const problem = passwordProblem(password);
if (problem) {
  console.error(`Refused: ${problem}`);
  process.exit(2);
}
await withDatabase(async (db) => {
  try {
    const user = await createUser(db.db, {
      email: args.data.email,
      name: args.data.name ?? args.data.email.split("@")[0]!,
      role: args.data.role,
      passwordHash: await hashPassword(password),
      actor: SYSTEM_ACTOR,
    });
    console.log(`Created ${user.role} ${user.email}.`);
  } catch (error) {
    if (error instanceof UserConflictError) {
      console.error(error.message);
      process.exitCode = 1;
    } else throw error;
  }
});
