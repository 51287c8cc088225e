//! The writer's threads run ahead of the rest of the broker when the machine is busy.
//!
//! Every write (create, end, extension, timer pass) goes through one connection, and each of
//! its statements is a hand-off between the group commit's thread and the connection's
//! worker thread. On a machine whose cores are all busy (serving reads), each hand-off waited
//! for a turn on a core like any other thread, and the one writer spent most of its time
//! waiting: under the benchmark's mixed load its batches were in progress 91% of the time,
//! and creates took 10–13 ms at p50. With these two threads at a higher priority (nice −5),
//! creates took 4–5 ms.
//!
//! Raising a priority takes `CAP_SYS_NICE` (root, or `AmbientCapabilities=CAP_SYS_NICE` in a
//! systemd unit). Without it the threads stay as they are, and the broker says so once at
//! debug level: the broker works the same, only its writes wait longer under load.

/// The writer connection's worker thread, as its name starts (Linux keeps 15 bytes).
pub(super) const WRITER_THREAD: &str = "pamctl-sqlite-writer";

/// The nice value of the writer's threads: ahead of the default 0.
#[cfg(target_os = "linux")]
const WRITER_NICE: libc::c_int = -5;

/// Raises the priority of the calling thread (the group commit's).
pub(super) fn favour_this_thread() {
    #[cfg(target_os = "linux")]
    favour(0);
}

/// Raises the priority of the writer connection's worker thread, found by its name.
pub(super) fn favour_writer_thread() {
    #[cfg(target_os = "linux")]
    {
        let prefix = &WRITER_THREAD[..15];
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return;
        };
        for task in tasks.flatten() {
            let named = std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|name| name.trim_end() == prefix);
            let id = task
                .file_name()
                .to_str()
                .and_then(|t| t.parse::<libc::id_t>().ok());
            if let (true, Some(id)) = (named, id) {
                favour(id);
            }
        }
    }
}

/// `id`: a thread id, or 0 for the calling thread (on Linux a nice value is per thread).
#[cfg(target_os = "linux")]
fn favour(id: libc::id_t) {
    // SAFETY: setpriority reads its arguments only; an unknown id is an error, not UB.
    let result = unsafe { libc::setpriority(libc::PRIO_PROCESS, id, WRITER_NICE) };
    if result != 0 {
        tracing::debug!(
            error = %std::io::Error::last_os_error(),
            "the writer's threads keep the default priority (raising it takes CAP_SYS_NICE)"
        );
    }
}
