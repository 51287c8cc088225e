//! Starting an action's program so that it dies with the broker.
//!
//! On Linux the broker starts the program itself with `clone(CLONE_VM | CLONE_VFORK)`, as
//! `posix_spawn` does (no copy of the broker's memory), and the new process asks the kernel
//! for SIGKILL when the broker dies (`PR_SET_PDEATHSIG`) before it becomes the program: a
//! broker killed mid-action never leaves the action running beside the retry its successor
//! starts. `posix_spawn` cannot make that request and a `pre_exec` hook forces a full fork of
//! the broker, so the few system calls between clone and exec are written here. The exit is
//! awaited through a pidfd, so nothing else can reap the process and its id is never reused
//! while this handle may still signal it.
//!
//! Elsewhere the program is started with tokio's `Command` (no parent-death signal).

use std::collections::BTreeMap;
use std::io;
use std::process::Output;

/// A started action program: its output is read and its exit awaited by `wait_with_output`.
/// Dropping it before then kills the program.
pub struct ActionChild {
    #[cfg(target_os = "linux")]
    inner: linux::Child,
    #[cfg(not(target_os = "linux"))]
    inner: tokio::process::Child,
}

impl ActionChild {
    /// Starts `program` (searched in the `PATH` of `env` when it has no slash) with exactly
    /// `env` as its environment, stdin from /dev/null, and stdout and stderr captured.
    pub fn spawn(
        program: &str,
        args: &[String],
        env: &BTreeMap<String, String>,
    ) -> io::Result<Self> {
        #[cfg(target_os = "linux")]
        {
            linux::Child::spawn(program, args, env).map(|inner| Self { inner })
        }
        #[cfg(not(target_os = "linux"))]
        {
            tokio::process::Command::new(program)
                .args(args)
                .env_clear()
                .envs(env)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .map(|inner| Self { inner })
        }
    }

    /// Reads stdout and stderr to their end and waits for the exit.
    pub async fn wait_with_output(self) -> io::Result<Output> {
        self.inner.wait_with_output().await
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::collections::BTreeMap;
    use std::ffi::{CString, c_int, c_void};
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::ExitStatusExt;
    use std::path::{Path, PathBuf};
    use std::process::{ExitStatus, Output};
    use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

    use tokio::io::AsyncReadExt;
    use tokio::io::unix::AsyncFd;
    use tokio::net::unix::pipe;

    /// The new process's stack until it execs: it runs a handful of system calls.
    const CHILD_STACK: usize = 64 * 1024;
    /// Where `PATH` is missing from the environment, as the C library's default.
    const DEFAULT_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

    pub struct Child {
        pid: libc::pid_t,
        /// Readable once the process exits; signals through it cannot reach a reused id.
        pidfd: AsyncFd<OwnedFd>,
        stdout: Option<pipe::Receiver>,
        stderr: Option<pipe::Receiver>,
        /// Set once `wait` reaped it: from then on its id may belong to another process.
        reaped: AtomicBool,
    }

    /// Everything the new process needs, prepared before the clone: between clone and exec
    /// it shares the broker's memory and may not allocate or take a lock.
    struct Prepared {
        path: CString,
        argv: Vec<*const libc::c_char>,
        envp: Vec<*const libc::c_char>,
        stdin: RawFd,
        stdout: RawFd,
        stderr: RawFd,
        broker: libc::pid_t,
        last_signal: c_int,
        /// The errno of a failed exec, written by the new process before it exits.
        exec_error: AtomicI32,
    }

    impl Child {
        pub fn spawn(
            program: &str,
            args: &[String],
            env: &BTreeMap<String, String>,
        ) -> io::Result<Self> {
            let path = resolve(program, env)?;
            let path = c_string(path.as_os_str().as_bytes())?;
            let argv_strings: Vec<CString> = std::iter::once(program)
                .chain(args.iter().map(String::as_str))
                .map(|arg| c_string(arg.as_bytes()))
                .collect::<io::Result<_>>()?;
            let env_strings: Vec<CString> = env
                .iter()
                .map(|(name, value)| c_string(format!("{name}={value}").as_bytes()))
                .collect::<io::Result<_>>()?;
            let stdin = File::open("/dev/null")?;
            let (stdout_read, stdout_write) = pipe_pair()?;
            let (stderr_read, stderr_write) = pipe_pair()?;
            let prepared = Prepared {
                path,
                argv: null_terminated(&argv_strings),
                envp: null_terminated(&env_strings),
                stdin: stdin.as_raw_fd(),
                stdout: stdout_write.as_raw_fd(),
                stderr: stderr_write.as_raw_fd(),
                broker: std::process::id() as libc::pid_t,
                last_signal: libc::SIGRTMAX(),
                exec_error: AtomicI32::new(0),
            };
            let pid = clone_and_exec(&prepared)?;
            // The program holds its own copies now; ours would keep its output open forever.
            drop((stdin, stdout_write, stderr_write));
            let failed = prepared.exec_error.load(Ordering::Acquire);
            if failed != 0 {
                reap_blocking(pid);
                return Err(io::Error::from_raw_os_error(failed));
            }
            // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
            let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
            if pidfd < 0 {
                let error = io::Error::last_os_error();
                // SAFETY: the process is ours and not yet reaped, so the id is still its own.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                reap_blocking(pid);
                return Err(error);
            }
            // SAFETY: a fresh descriptor that nothing else owns; the `OwnedFd` keeps it open,
            // and the same, for as long as the `AsyncFd` holds it.
            let pidfd = unsafe {
                let pidfd = OwnedFd::from_raw_fd(pidfd as RawFd);
                AsyncFd::register_with_interest(pidfd, tokio::io::Interest::READABLE)
            };
            let pidfd = match pidfd {
                Ok(pidfd) => pidfd,
                Err(error) => {
                    // SAFETY: the process is ours and not yet reaped.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    reap_blocking(pid);
                    return Err(error.into());
                }
            };
            let mut child = Self {
                pid,
                pidfd,
                stdout: None,
                stderr: None,
                reaped: AtomicBool::new(false),
            };
            // From here on, dropping `child` kills and reaps the program.
            child.stdout = Some(pipe::Receiver::from_owned_fd(stdout_read)?);
            child.stderr = Some(pipe::Receiver::from_owned_fd(stderr_read)?);
            Ok(child)
        }

        pub async fn wait_with_output(mut self) -> io::Result<Output> {
            let mut stdout_pipe = self.stdout.take();
            let mut stderr_pipe = self.stderr.take();
            let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
            let read_out = async {
                if let Some(pipe) = stdout_pipe.as_mut() {
                    pipe.read_to_end(&mut stdout).await?;
                }
                io::Result::Ok(())
            };
            let read_err = async {
                if let Some(pipe) = stderr_pipe.as_mut() {
                    pipe.read_to_end(&mut stderr).await?;
                }
                io::Result::Ok(())
            };
            let (status, (), ()) = tokio::try_join!(self.wait(), read_out, read_err)?;
            Ok(Output {
                status,
                stdout,
                stderr,
            })
        }

        async fn wait(&self) -> io::Result<ExitStatus> {
            loop {
                let mut ready = self.pidfd.readable().await?;
                let mut status: c_int = 0;
                // SAFETY: waits for our own child without blocking.
                let waited = unsafe { libc::waitpid(self.pid, &mut status, libc::WNOHANG) };
                if waited == self.pid {
                    self.reaped.store(true, Ordering::Release);
                    return Ok(ExitStatus::from_raw(status));
                }
                if waited < 0 {
                    return Err(io::Error::last_os_error());
                }
                ready.clear_ready();
            }
        }
    }

    impl Drop for Child {
        fn drop(&mut self) {
            // Not reaped by `wait` means it may still run (a timeout, a lost lease): kill it
            // through the pidfd and reap it off the async threads.
            if self.reaped.load(Ordering::Acquire) {
                return;
            }
            let mut status: c_int = 0;
            // SAFETY: reaps our own child (not reaped yet, so the id is still its own) if it
            // has already exited, without blocking.
            if unsafe { libc::waitpid(self.pid, &mut status, libc::WNOHANG) } != 0 {
                return;
            }
            // SAFETY: pidfd_send_signal on our own pidfd; no siginfo, no flags.
            unsafe {
                libc::syscall(
                    libc::SYS_pidfd_send_signal,
                    self.pidfd.get_ref().as_raw_fd(),
                    libc::SIGKILL,
                    std::ptr::null::<libc::siginfo_t>(),
                    0,
                );
            }
            let pid = self.pid;
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    runtime.spawn_blocking(move || reap_blocking(pid));
                }
                Err(_) => reap_blocking(pid),
            }
        }
    }

    /// Blocks until our child `pid` has exited, and reaps it.
    fn reap_blocking(pid: libc::pid_t) {
        let mut status: c_int = 0;
        // SAFETY: waits for our own child; retried when a signal interrupts the wait.
        while unsafe { libc::waitpid(pid, &mut status, 0) } < 0
            && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted
        {}
    }

    /// Starts the new process and returns its id once it has exec'd the program or failed
    /// to (CLONE_VFORK holds this thread until then).
    fn clone_and_exec(prepared: &Prepared) -> io::Result<libc::pid_t> {
        let mut stack = vec![0u8; CHILD_STACK];
        // The stack grows down from its 16-byte aligned top.
        let top = (stack.as_mut_ptr() as usize + CHILD_STACK) & !15;
        // SAFETY: all signals are blocked around the clone, so no handler of the broker runs
        // in the new process while it shares the broker's memory; the new process runs only
        // `child_main` on its own stack, reading `prepared`, which outlives it (this thread is
        // suspended until the new process execs or exits).
        unsafe {
            let mut all: libc::sigset_t = std::mem::zeroed();
            let mut previous: libc::sigset_t = std::mem::zeroed();
            libc::sigfillset(&mut all);
            libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut previous);
            let pid = libc::clone(
                child_main,
                top as *mut c_void,
                libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
                std::ptr::from_ref(prepared).cast_mut().cast::<c_void>(),
            );
            let error = io::Error::last_os_error();
            libc::pthread_sigmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
            if pid < 0 { Err(error) } else { Ok(pid) }
        }
    }

    /// The new process until it becomes the program: only system calls, no allocation.
    extern "C" fn child_main(arg: *mut c_void) -> c_int {
        // SAFETY: `arg` is the `Prepared` that `clone_and_exec` passed, alive and unchanged
        // while this runs; every call below is a system call wrapper safe after a vfork.
        unsafe {
            let prepared = &*arg.cast::<Prepared>();
            // The broker's handlers must not run here; the program starts with the default
            // disposition of every signal the broker catches, and of SIGPIPE (which the Rust
            // runtime ignores), as std's spawn does.
            for signal in 1..=prepared.last_signal {
                let mut current: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, std::ptr::null(), &mut current) == 0
                    && (current.sa_sigaction != libc::SIG_IGN || signal == libc::SIGPIPE)
                    && current.sa_sigaction != libc::SIG_DFL
                {
                    let mut default: libc::sigaction = std::mem::zeroed();
                    default.sa_sigaction = libc::SIG_DFL;
                    libc::sigaction(signal, &default, std::ptr::null_mut());
                }
            }
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if libc::getppid() != prepared.broker {
                // The broker died before the request took effect: do not run the action.
                libc::_exit(137);
            }
            for (from, to) in [
                (prepared.stdin, 0),
                (prepared.stdout, 1),
                (prepared.stderr, 2),
            ] {
                let kept = if from == to {
                    libc::fcntl(to, libc::F_SETFD, 0)
                } else {
                    libc::dup2(from, to)
                };
                if kept < 0 {
                    fail(prepared);
                }
            }
            let mut none: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut none);
            libc::pthread_sigmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
            libc::execve(
                prepared.path.as_ptr(),
                prepared.argv.as_ptr(),
                prepared.envp.as_ptr(),
            );
            fail(prepared)
        }
    }

    /// Tells the waiting broker thread why the program did not start, and exits.
    fn fail(prepared: &Prepared) -> ! {
        let errno = io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO);
        prepared.exec_error.store(errno, Ordering::Release);
        // SAFETY: ends the new process without running any of the broker's exit handlers.
        unsafe { libc::_exit(127) }
    }

    /// The program's path: as given when it names one, else the first executable file of
    /// that name in the environment's `PATH` (as `execvp` would find it).
    fn resolve(program: &str, env: &BTreeMap<String, String>) -> io::Result<PathBuf> {
        if program.contains('/') {
            return Ok(PathBuf::from(program));
        }
        if program.is_empty() {
            return Err(io::Error::from_raw_os_error(libc::ENOENT));
        }
        let search = env.get("PATH").map_or(DEFAULT_PATH, String::as_str);
        search
            .split(':')
            .map(|dir| Path::new(if dir.is_empty() { "." } else { dir }).join(program))
            .find(|candidate| {
                std::fs::metadata(candidate)
                    .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            })
            .ok_or_else(|| io::Error::from_raw_os_error(libc::ENOENT))
    }

    fn c_string(bytes: &[u8]) -> io::Result<CString> {
        CString::new(bytes).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "an argument or variable contains a NUL byte",
            )
        })
    }

    fn null_terminated(strings: &[CString]) -> Vec<*const libc::c_char> {
        strings
            .iter()
            .map(|s| s.as_ptr())
            .chain(std::iter::once(std::ptr::null()))
            .collect()
    }

    /// A pipe whose ends close on exec; the read end is non-blocking, for tokio.
    fn pipe_pair() -> io::Result<(OwnedFd, OwnedFd)> {
        let mut fds = [0 as RawFd; 2];
        // SAFETY: pipe2 fills the two descriptors it creates.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: both descriptors are new and owned by nothing else.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        // SAFETY: sets a flag on a descriptor we own.
        if unsafe { libc::fcntl(read.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok((read, write))
    }
}
