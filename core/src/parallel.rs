//! Two pieces of independent work at once, for large inputs: the register
//! and the ballots of a tally from CSV text or from columns are read side
//! by side (a binding's register is built while it reads its ballots),
//! ballot records are parsed and looked up in two halves, and a batch's
//! estates are built and their votes tallied in two parts. Small inputs,
//! the WebAssembly build (no threads) and a system that cannot start a
//! thread run them one after the other; the result is the same either way.

use std::ops::Range;

use crate::error::Result;

/// Bytes of input from which reading it on two threads pays: starting a
/// thread takes tens of microseconds, tallying 64 KiB of CSV a few hundred.
pub(crate) const MIN_BYTES_FOR_A_THREAD: usize = 64 * 1024;

/// Rows of a table (units or ballots given as columns) from which reading
/// the two tables on two threads pays.
pub(crate) const MIN_ROWS_FOR_A_THREAD: usize = 2_000;

/// Ballot records from which parsing and looking them up in two halves on
/// two threads pays: a record takes about 30 ns, starting and joining a
/// thread about 50 µs on a shared two-core machine, so twice where the two
/// meet. (Typed ballots, at about 12 ns, were slower in two halves at
/// 15,593 ballots, and are read on one thread.)
pub(crate) const MIN_RECORDS_FOR_A_THREAD: usize = 8_000;

/// Runs `a` and `b` and returns both results: `b` on a second thread when
/// `worth_a_thread` (and one can be started), else after `a`.
pub(crate) fn join<RA, RB: Send>(worth_a_thread: bool, a: impl FnOnce() -> RA, b: impl Fn() -> RB + Sync) -> (RA, RB) {
    meanwhile(worth_a_thread, b, |b| {
        let ra = a();
        (ra, b.result())
    })
}

/// Starts `b` on a second thread when `worth_a_thread` (and one can be
/// started), then runs `a`, which takes `b`'s result from the [`Pending`] it
/// is given: `b` runs then, here, if it has no thread (and not at all if
/// `a` does not ask).
pub(crate) fn meanwhile<RA, RB: Send, B: Fn() -> RB + Sync>(
    worth_a_thread: bool,
    b: B,
    a: impl FnOnce(Pending<'_, '_, RB, B>) -> RA,
) -> RA {
    if !threads(worth_a_thread) {
        return a(Pending { thread: None, b: &b });
    }
    std::thread::scope(|s| {
        // no thread to be had: `b` runs here when asked
        let thread = std::thread::Builder::new().spawn_scoped(s, &b).ok();
        a(Pending { thread, b: &b })
    })
}

/// Whether work that is `worth_a_thread` is to have one: never in WebAssembly.
fn threads(worth_a_thread: bool) -> bool {
    worth_a_thread && !cfg!(target_family = "wasm")
}

/// The result of the `b` that [`meanwhile`] started.
pub(crate) struct Pending<'scope, 'b, R, B> {
    thread: Option<std::thread::ScopedJoinHandle<'scope, R>>,
    b: &'b B,
}

impl<R, B: Fn() -> R> Pending<'_, '_, R, B> {
    /// `b`'s result: its thread's, once it ends, or `b` run here.
    pub(crate) fn result(self) -> R {
        match self.thread {
            Some(thread) => thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => (self.b)(),
        }
    }
}

/// Where items of these sizes (each item's units or ballots) are split into
/// two parts of about as much work, the second part's first item: `None`
/// when they are to run in one part (fewer than [`MIN_ROWS_FOR_A_THREAD`]
/// in all, one item, or no threads).
pub(crate) fn split(sizes: &[usize]) -> Option<usize> {
    let (len, total) = (sizes.len(), sizes.iter().sum::<usize>());
    // the second part starts at the first item with half the work before it
    let split = sizes
        .iter()
        .scan(0, |before, &size| {
            let at = *before;
            *before += size;
            Some(at)
        })
        .position(|before| before >= total / 2)
        .unwrap_or(len);
    threads(total >= MIN_ROWS_FOR_A_THREAD && 0 < split && split < len).then_some(split)
}

/// `f` over the items `0..sizes.len()` in the two parts of [`split`] on two
/// threads, or in one part: the results in order, or the error of the first
/// part that fails, as if `f` had run over all at once.
pub(crate) fn in_two_parts<R: Send>(
    sizes: &[usize],
    f: impl Fn(Range<usize>) -> Result<Vec<R>> + Sync,
) -> Result<Vec<R>> {
    let len = sizes.len();
    let Some(split) = split(sizes) else {
        return f(0..len);
    };
    let (first, second) = join(true, || f(0..split), || f(split..len));
    let mut all = first?;
    all.extend(second?);
    Ok(all)
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
    fn two_parts_give_the_results_in_order_and_the_first_error() {
        let parts = |sizes: &[usize], bad: &[usize]| {
            in_two_parts(sizes, |part| {
                part.map(|i| match bad.contains(&i) {
                    true => Err(crate::Error::invalid_input(format!("item {i}"), "bad")),
                    false => Ok(i * 10),
                })
                .collect()
            })
            .map_err(|e| e.to_string())
        };
        // one thread (too little work), and two split after the first, third and fifth item
        let big = MIN_ROWS_FOR_A_THREAD;
        for sizes in [[1; 6], [big, 1, 1, 1, 1, 1], [big; 6], [1, 1, 1, 1, big, big]] {
            assert_eq!(parts(&sizes, &[]), Ok(vec![0, 10, 20, 30, 40, 50]));
            assert_eq!(parts(&sizes, &[4, 1]), Err("invalid input at item 1: bad".to_owned()));
            assert_eq!(parts(&sizes, &[5]), Err("invalid input at item 5: bad".to_owned()));
        }
        assert_eq!(parts(&[], &[]), Ok(vec![]));
    }

    #[test]
    fn little_work_is_one_part() {
        let parts = |sizes: &[usize]| {
            let called = std::sync::Mutex::new(Vec::new());
            in_two_parts(sizes, |part| {
                called.lock().unwrap().push((part.start, part.end));
                Ok(part.collect::<Vec<_>>())
            })
            .unwrap();
            let mut called = called.into_inner().unwrap();
            called.sort_unstable();
            called
        };
        let big = MIN_ROWS_FOR_A_THREAD;
        assert_eq!(parts(&[1; 6]), [(0, 6)]);
        assert_eq!(parts(&[big]), [(0, 1)]);
        let two = if cfg!(target_family = "wasm") {
            vec![(0, 6)]
        } else {
            vec![(0, 3), (3, 6)]
        };
        assert_eq!(parts(&[big; 6]), two);
    }

    #[test]
    fn meanwhile_runs_the_second_before_it_is_asked_for_only_on_a_thread() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        for worth_a_thread in [false, true] {
            let runs = AtomicUsize::new(0);
            let b = || runs.fetch_add(1, Ordering::SeqCst) + 10;
            // not asked for: run only if it had a thread (whose scope waits for it)
            meanwhile(worth_a_thread, b, |_| ());
            assert_eq!(runs.load(Ordering::SeqCst), usize::from(worth_a_thread));
            // asked for: run once, its result given
            let got = meanwhile(worth_a_thread, b, |b| b.result());
            assert_eq!(
                (got, runs.load(Ordering::SeqCst)),
                (10 + usize::from(worth_a_thread), 1 + usize::from(worth_a_thread))
            );
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
