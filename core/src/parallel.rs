//! Two pieces of independent work at once, for large inputs: the register
//! and the ballots of a tally from CSV text or from columns are read side
//! by side. Small inputs, the
//! WebAssembly build (no threads) and a system that cannot start a thread
//! run them one after the other; the result is the same either way.

/// Bytes of input from which reading it on two threads pays: starting a
/// thread takes tens of microseconds, about what 64 KiB of CSV takes to read.
pub(crate) const MIN_BYTES_FOR_A_THREAD: usize = 64 * 1024;

/// Rows of a table (units or ballots given as columns) from which reading
/// the two tables on two threads pays.
pub(crate) const MIN_ROWS_FOR_A_THREAD: usize = 2_000;

/// Runs `a` and `b` and returns both results: `b` on a second thread when
/// `worth_a_thread` (and one can be started), else after `a`.
pub(crate) fn join<RA, RB: Send>(worth_a_thread: bool, a: impl FnOnce() -> RA, b: impl Fn() -> RB + Sync) -> (RA, RB) {
    if cfg!(target_family = "wasm") || !worth_a_thread {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let other = std::thread::Builder::new().spawn_scoped(s, &b);
        let ra = a();
        let rb = match other {
            Ok(thread) => thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // no thread to be had
            Err(_) => b(),
        };
        (ra, rb)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_in_order_on_one_thread_or_two() {
        for worth_a_thread in [false, true] {
            let (a, b) = join(worth_a_thread, || "a".repeat(3), || vec![1u8; 2]);
            assert_eq!((a.as_str(), b.as_slice()), ("aaa", &[1u8, 1][..]));
        }
    }

    #[test]
    fn the_second_runs_on_another_thread_only_when_worth_it() {
        let here = std::thread::current().id();
        let (_, same) = join(false, || (), || std::thread::current().id() == here);
        let (_, other) = join(true, || (), || std::thread::current().id() != here);
        assert!(same && other);
    }
}
