// SPDX-License-Identifier: GPL-2.0

//! `vgpu-sim --bar FILE --ram FILE [--fault N] [--fuzz SEED] [--quiet]`: runs the virtual
//! GPU's firmware on the two shared-memory files QEMU maps (ivshmem BAR2 and guest RAM) until
//! it is killed, its parent exits, or `--max-seconds` pass. In fuzz mode (`--fuzz`, or a seed
//! written to `SIM_FUZZ`) every action is printed with its seed.

use std::{
    fs::OpenOptions,
    process::ExitCode,
    time::{
        Duration,
        Instant, //
    },
};

fn map(path: &str) -> std::io::Result<memmap2::MmapMut> {
    let file = OpenOptions::new().read(true).write(true).open(path)?;
    // SAFETY: The file is shared with QEMU on purpose; all accesses go through `Shared`'s
    // volatile accessors and copies.
    unsafe { memmap2::MmapMut::map_mut(&file) }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut bar, mut ram, mut fault, mut quiet, mut max) = (None, None, 0u32, false, 3600u64);
    let mut seed = 0u32;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bar" => bar = args.next(),
            "--ram" => ram = args.next(),
            "--fault" => fault = args.next().and_then(|v| v.parse().ok()).unwrap_or(u32::MAX),
            "--fuzz" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            "--max-seconds" => max = args.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            "--quiet" => quiet = true,
            _ => {
                eprintln!("vgpu-sim: unknown argument {a}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(bar), Some(ram)) = (bar, ram) else {
        eprintln!(
            "usage: vgpu-sim --bar FILE --ram FILE [--fault N] [--fuzz SEED] [--max-seconds S] [--quiet]"
        );
        return ExitCode::from(2);
    };
    if fault >= vgpu_wire::fault::COUNT {
        eprintln!("vgpu-sim: --fault must be below {}", vgpu_wire::fault::COUNT);
        return ExitCode::from(2);
    }
    let (bar_map, ram_map) = match (map(&bar), map(&ram)) {
        (Ok(b), Ok(r)) => (b, r),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("vgpu-sim: cannot map {bar} or {ram}: {e}");
            return ExitCode::from(1);
        }
    };
    let parent = std::os::unix::process::parent_id();
    let mut sim = vgpu_sim::Sim::new(
        vgpu_sim::Shared::new(bar_map),
        vgpu_sim::Shared::new(ram_map),
        fault,
    );
    sim.bar().write32(vgpu_wire::regs::SIM_FUZZ, seed);
    let deadline = Instant::now() + Duration::from_secs(max);
    let mut idle = 0u32;
    let mut fuzzing = None;
    while Instant::now() < deadline {
        let busy = sim.step();
        if sim.fuzzing().map(|f| f.0) != fuzzing {
            fuzzing = sim.fuzzing().map(|f| f.0);
            if !quiet {
                eprintln!("vgpu-sim: fuzz seed {}", fuzzing.map_or("off".into(), |s| s.to_string()));
            }
        }
        for line in sim.take_fuzz_log() {
            if !quiet {
                eprintln!("vgpu-sim: {line}");
            }
        }
        if busy {
            idle = 0;
            continue;
        }
        idle = idle.saturating_add(1);
        if idle % 4096 == 0 && std::os::unix::process::parent_id() != parent {
            break; // The runner is gone: never outlive it.
        }
        std::thread::sleep(Duration::from_micros(if idle > 1000 { 200 } else { 10 }));
    }
    if !quiet {
        eprintln!("vgpu-sim: exiting, {:?}", sim.stats);
    }
    ExitCode::SUCCESS
}
