import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";

// What a process group holds on this machine, read from Linux's /proc: its processes and the TCP
// ports they listen on. Tests of commands that must stop everything they started use it.

/** The ids of the processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ")"
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") members.push(Number(entry));
  }
  return members;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** The TCP ports that the processes of group `pgid` listen on (IPv4 and IPv6). */
export function listeningPorts(pgid: number): number[] {
  const inodes = new Set<string>();
  for (const pid of groupMembers(pgid)) for (const inode of socketInodes(pid)) inodes.add(inode);
  const ports = new Set<number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT" in hex; state 0A is LISTEN; column 9 is the inode
      const [, local = "", , state, , , , , , inode = ""] = cols;
      if (state === "0A" && inodes.has(inode)) ports.add(parseInt(local.split(":")[1] ?? "0", 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Whether a server may listen on `port` at 127.0.0.1 now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
