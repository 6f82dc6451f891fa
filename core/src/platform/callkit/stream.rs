//! The numbers of a plan, ascending and deduplicated, produced lazily: one
//! cursor per source and a k-way merge, so memory stays proportional to the
//! number of sources, not of numbers.
//!
//! Operator lists store numbers as digit strings in an `fst` map, in byte order,
//! which is not numeric order across lengths (`"33…"` < `"4…"`). Numbers of
//! fewer digits are always smaller (E.164 digits never start with 0), so a
//! list's cursor walks one length at a time, 1 to 15 digits, each in byte order
//! (numeric within a length), resuming from the last key in batches.

use super::expand::{e164_value, Span};
use super::plan::{Class, Gen, Plan};
use crate::marking::lists::OperatorList;
use fst::{Automaton, IntoStreamer, Streamer};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::Arc;

/// Keys read from an operator list per batch.
const BATCH: usize = 4096;

/// Accepts keys of exactly `n` bytes.
struct ExactLen(usize);

impl Automaton for ExactLen {
    type State = Option<usize>;
    fn start(&self) -> Option<usize> {
        Some(0)
    }
    fn is_match(&self, state: &Option<usize>) -> bool {
        *state == Some(self.0)
    }
    fn can_match(&self, state: &Option<usize>) -> bool {
        state.is_some()
    }
    fn accept(&self, state: &Option<usize>, _byte: u8) -> Option<usize> {
        state.and_then(|d| (d < self.0).then_some(d + 1))
    }
}

enum State {
    Spans {
        span: usize,
        offset: u64,
    },
    Operator {
        len: usize,
        last: Option<Vec<u8>>,
        buf: VecDeque<(u64, u64)>,
    },
}

/// One source's numbers, ascending, at most its limit.
struct Cursor {
    emitted: u64,
    limit: u64,
    state: State,
}

impl Cursor {
    fn next(&mut self, gen: &Gen) -> Option<(u64, Option<u64>)> {
        if self.emitted >= self.limit {
            return None;
        }
        let item = match (&mut self.state, gen) {
            (State::Spans { span, offset }, Gen::Spans(spans)) => loop {
                let s: &Span = spans.get(*span)?;
                if *offset < s.count {
                    let n = s.start + *offset;
                    *offset += 1;
                    break (n, None);
                }
                *span += 1;
                *offset = 0;
            },
            (State::Operator { len, last, buf }, Gen::OperatorNumbers(list)) => loop {
                if let Some((n, idx)) = buf.pop_front() {
                    break (n, Some(idx));
                }
                if *len > crate::intake::number::MAX_E164_DIGITS {
                    return None;
                }
                if refill(list, *len, last, buf) < BATCH {
                    *len += 1;
                    *last = None;
                }
            },
            _ => return None,
        };
        self.emitted += 1;
        Some(item)
    }
}

/// Read up to [`BATCH`] keys of `len` digits after `last`; returns how many
/// keys were read (including unreadable ones, which are skipped).
fn refill(
    list: &Arc<OperatorList>,
    len: usize,
    last: &mut Option<Vec<u8>>,
    buf: &mut VecDeque<(u64, u64)>,
) -> usize {
    let map = list.numbers_map();
    let builder = map.search(ExactLen(len));
    let builder = match last.as_deref() {
        Some(k) => builder.gt(k),
        None => builder,
    };
    let mut stream = builder.into_stream();
    let mut read = 0;
    while let Some((key, idx)) = stream.next() {
        read += 1;
        *last = Some(key.to_vec());
        if let Some((n, _)) = std::str::from_utf8(key).ok().and_then(e164_value) {
            buf.push_back((n, idx));
        }
        if read == BATCH {
            break;
        }
    }
    read
}

/// The k-way merge of every source of a plan.
pub(crate) struct Merge {
    cursors: Vec<Cursor>,
    heads: Vec<Option<u64>>,
    heap: BinaryHeap<Reverse<(u64, usize)>>,
    group: Vec<(usize, Option<u64>)>,
}

impl Merge {
    pub fn new(plan: &Plan) -> Merge {
        let mut m = Merge {
            cursors: plan
                .sources
                .iter()
                .map(|s| Cursor {
                    emitted: 0,
                    limit: s.limit,
                    state: match s.gen {
                        Gen::Spans(_) => State::Spans { span: 0, offset: 0 },
                        Gen::OperatorNumbers(_) => State::Operator {
                            len: 1,
                            last: None,
                            buf: VecDeque::new(),
                        },
                    },
                })
                .collect(),
            heads: vec![None; plan.sources.len()],
            heap: BinaryHeap::new(),
            group: Vec::new(),
        };
        for i in 0..m.cursors.len() {
            m.advance(plan, i);
        }
        m
    }

    fn advance(&mut self, plan: &Plan, i: usize) {
        let (Some(c), Some(s)) = (self.cursors.get_mut(i), plan.sources.get(i)) else {
            return;
        };
        if let Some((n, idx)) = c.next(&s.gen) {
            if let Some(h) = self.heads.get_mut(i) {
                *h = idx;
            }
            self.heap.push(Reverse((n, i)));
        }
    }

    /// The next number and the sources that emitted it.
    fn next_group(&mut self, plan: &Plan) -> Option<u64> {
        let Reverse((n, first)) = self.heap.pop()?;
        self.group.clear();
        let mut members = vec![first];
        while let Some(Reverse((m, j))) = self.heap.peek().copied() {
            if m != n {
                break;
            }
            self.heap.pop();
            members.push(j);
        }
        for i in members {
            self.group.push((i, self.heads.get(i).copied().flatten()));
            self.advance(plan, i);
        }
        Some(n)
    }

    /// The next number classified as a blocking entry.
    pub fn next_blocking(&mut self, plan: &mut Plan) -> Option<u64> {
        while let Some(n) = self.next_group(plan) {
            let group = std::mem::take(&mut self.group);
            let class = plan.classify(n, &group);
            self.group = group;
            if class == Class::Block {
                return Some(n);
            }
        }
        None
    }

    /// The next number classified as an identification entry, with its label.
    pub fn next_identification(&mut self, plan: &mut Plan) -> Option<(u64, Arc<str>)> {
        while let Some(n) = self.next_group(plan) {
            let group = std::mem::take(&mut self.group);
            let class = plan.classify(n, &group);
            self.group = group;
            if let Class::Identify(label) = class {
                return Some((n, label));
            }
        }
        None
    }
}
