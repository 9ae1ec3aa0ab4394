//! How much memory `simile clones` and `simile find` may keep files in between comparisons,
//! when `--cache-size` does not say: a sixteenth of what the machine (or the process's cgroup)
//! has available, between the command's old fixed budget ([`CLONES_LEAST`], [`FIND_LEAST`]) and
//! [`MAX_CACHE`].
//!
//! Why not a fixed size: the cache only decides how often a file is read and tokenized again
//! (the answers are the same with none), and what pays depends on the tree. Measured
//! (bench/RESULTS.md, 2026-12-07): OpenSSL's `crypto/` (1,714 files) takes 0.72 s with 128 MiB
//! and 0.59 s once every file fits (256 MiB, 301 MB peak); `/usr/include` (7,911 files, 113
//! MB) 3.53 s with 128 MiB and 2.34 s with 1 GiB (1.3 GB peak). `find /usr/include --in
//! /usr/include` (every header a query) 5.28 s with `find`'s old 256 MiB, 4.38 s with 1 GiB.
//! A laptop with little free memory keeps the old budgets; a build server spends what it can
//! spare.
//!
//! Read from `/proc` and the cgroup files by hand: a few lines of parsing, where a system
//! information crate (`sysinfo`) would bring a process table and disks this never asks for.

use std::path::Path;

/// The least `clones`' cache gets: its fixed budget before the budget followed the machine.
pub const CLONES_LEAST: u64 = 128 << 20;
/// The least `find`'s cache gets: its fixed budget before (the library's default).
pub const FIND_LEAST: u64 = simile::search::DEFAULT_CACHE_BYTES as u64;
/// The most a cache gets by default: enough for `/usr/include` (113 MB of headers) whole.
pub const MAX_CACHE: u64 = 1 << 30;

/// The default cache budget, in bytes, of a command whose budget was `least` before.
pub fn default_cache_bytes(least: u64) -> u64 {
    budget_for(available_memory(), least)
}

/// A sixteenth of `available` bytes, within `least..=MAX_CACHE`; `least` when nothing is known
/// (not Linux, `/proc` not mounted).
fn budget_for(available: Option<u64>, least: u64) -> u64 {
    available.map_or(least, |bytes| (bytes / 16).clamp(least, MAX_CACHE))
}

/// Memory this process could still use: the kernel's `MemAvailable`, lowered to the room left
/// under the process's cgroup limit when it has one (a container's limit is not in
/// `/proc/meminfo`).
fn available_memory() -> Option<u64> {
    let machine = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| mem_available(&text));
    let cgroup = std::fs::read_to_string("/proc/self/cgroup")
        .ok()
        .and_then(|text| cgroup_headroom(&text, Path::new("/sys/fs/cgroup")));
    match (machine, cgroup) {
        (Some(m), Some(c)) => Some(m.min(c)),
        (m, c) => m.or(c),
    }
}

/// `MemAvailable` of a `/proc/meminfo` text, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    kib.checked_mul(1024)
}

/// The room left under the memory limits of the cgroups in `proc_self_cgroup` (the text of
/// `/proc/self/cgroup`), with the cgroup file systems mounted under `root`; `None` when no
/// limit is found. Version 2 (`0::/path`: `memory.max`, `memory.current`) and version 1 (the
/// `memory` controller: `memory.limit_in_bytes`, `memory.usage_in_bytes`) are both read. A
/// container often sees its own cgroup at the mount's root rather than under the path the
/// kernel names, so the root is tried too.
fn cgroup_headroom(proc_self_cgroup: &str, root: &Path) -> Option<u64> {
    proc_self_cgroup
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(3, ':');
            let (_, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
            let (dir, limit, usage) = if controllers.is_empty() {
                (root.to_path_buf(), "memory.max", "memory.current")
            } else if controllers.split(',').any(|c| c == "memory") {
                (
                    root.join("memory"),
                    "memory.limit_in_bytes",
                    "memory.usage_in_bytes",
                )
            } else {
                return None;
            };
            let own = dir.join(path.trim_start_matches('/'));
            [own, dir].into_iter().find_map(|d| {
                let read = |name: &str| -> Option<u64> {
                    std::fs::read_to_string(d.join(name))
                        .ok()?
                        .trim()
                        .parse()
                        .ok()
                };
                // "max" (no limit) does not parse: that cgroup sets no bound.
                Some(read(limit)?.saturating_sub(read(usage)?))
            })
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_a_sixteenth_of_what_is_available_within_bounds() {
        for least in [CLONES_LEAST, FIND_LEAST] {
            assert_eq!(budget_for(None, least), least);
            assert_eq!(
                budget_for(Some(1 << 30), least),
                least,
                "1 GiB free: 64 MiB"
            );
            assert_eq!(budget_for(Some(8 << 30), least), 512 << 20);
            assert_eq!(budget_for(Some(64 << 30), least), MAX_CACHE);
        }
        assert_eq!(budget_for(Some(3 << 30), CLONES_LEAST), 192 << 20);
        assert_eq!(budget_for(Some(3 << 30), FIND_LEAST), FIND_LEAST);
    }

    #[test]
    fn mem_available_is_read_in_bytes() {
        let meminfo = "MemTotal:       24567892 kB\nMemFree:         1000000 kB\n\
                       MemAvailable:   23699448 kB\nBuffers:          1 kB\n";
        assert_eq!(mem_available(meminfo), Some(23_699_448 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
        assert_eq!(mem_available("MemAvailable: lots\n"), None);
    }

    /// A cgroup tree under a temporary root, as `/sys/fs/cgroup` would hold it.
    fn cgroup_root(files: &[(&str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        for (path, content) in files {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        root
    }

    #[test]
    fn a_version_2_limit_leaves_its_headroom() {
        let root = cgroup_root(&[
            ("job/memory.max", "2147483648\n"),
            ("job/memory.current", "1073741824\n"),
        ]);
        assert_eq!(cgroup_headroom("0::/job\n", root.path()), Some(1 << 30));
    }

    #[test]
    fn no_limit_means_no_bound() {
        let root = cgroup_root(&[
            ("job/memory.max", "max\n"),
            ("job/memory.current", "1073741824\n"),
        ]);
        assert_eq!(cgroup_headroom("0::/job\n", root.path()), None);
        assert_eq!(cgroup_headroom("0::/elsewhere\n", root.path()), None);
    }

    #[test]
    fn a_version_1_limit_is_found_at_the_mount_root_of_a_container() {
        // The kernel names the host's path; the container mounts its own cgroup at the root.
        let root = cgroup_root(&[
            ("memory/memory.limit_in_bytes", "536870912\n"),
            ("memory/memory.usage_in_bytes", "268435456\n"),
        ]);
        let text = "9:pids:/\n4:memory:/docker/0123abcd\n0::/\n";
        assert_eq!(cgroup_headroom(text, root.path()), Some(256 << 20));
    }

    #[test]
    fn usage_above_the_limit_leaves_no_room() {
        let root = cgroup_root(&[("memory.max", "1000\n"), ("memory.current", "5000\n")]);
        assert_eq!(cgroup_headroom("0::/\n", root.path()), Some(0));
    }
}
