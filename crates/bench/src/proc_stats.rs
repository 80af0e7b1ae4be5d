//! What this process used, read from /proc (Linux): peak memory and CPU time of all threads.

/// The process's peak resident memory (VmHWM), in MB; `None` where /proc is missing.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm_mb(&status)
}

/// CPU time (user + system, all threads) this process has used, from /proc/self/stat (in
/// clock ticks of 1/100 s, the value on every Linux this runs on).
pub fn process_cpu_s() -> Option<f64> {
    parse_proc_stat_cpu_s(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

fn parse_proc_stat_cpu_s(stat: &str) -> Option<f64> {
    // Fields after the command name (which may hold spaces, inside parentheses): state is
    // field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn parse_vm_hwm_mb(status: &str) -> Option<f64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_memory_is_read_from_proc_status() {
        let status = "Name:\trehearse\nVmPeak:\t  900 kB\nVmHWM:\t  262144 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(parse_vm_hwm_mb(status), Some(256.0));
        assert_eq!(parse_vm_hwm_mb("Name: x\n"), None);
        let stat = "4242 (rehearse (x) y) S 1 2 3 4 5 6 7 8 9 10 250 30 0 0 20 0 3";
        assert_eq!(parse_proc_stat_cpu_s(stat), Some(2.8));
        assert_eq!(parse_proc_stat_cpu_s("garbage"), None);
        if cfg!(target_os = "linux") {
            assert!(peak_rss_mb().is_some_and(|mb| mb > 0.0));
        }
    }
}
