//! Constants for string programs: delimiters, short strings, small integers, and pieces of the
//! task's own inputs (real tasks mention "USA" or "Inc" because their inputs do).

use crate::rng::Rng;
use quill_lang::Value;

/// Delimiters a program may search for, split at or insert.
pub const DELIMS: &[&str] = &[
    " ", ",", ".", "@", "-", "/", ":", "(", ")", "_", "+", "#", "$", "%", "&", ";", "?", "=", "\\", ", ",
    ". ", " - ", "://", "www.",
];

/// Strings a program may insert: the delimiters, the empty string, digits and a few short words.
pub const INSERTS: &[&str] = &[
    "", " ", ",", ".", "@", "-", "/", ":", "(", ")", "_", "+", "#", "$", "%", "&", ", ", ". ", " - ", "0",
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "USA", "N/A", "Mr. ", "Dr. ", "x", "ID", "th", "00", "...",
    "@", ".com", "http://", "+1 ",
];

/// A small integer constant, mostly 0..3 as in real solutions; -1..10 in all.
pub fn small_int(rng: &mut Rng) -> i64 {
    match rng.weighted(&[8, 10, 6, 4, 3, 2, 2, 1, 1, 1, 1, 1]) {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        4 => 4,
        5 => 5,
        6 => -1,
        k => k as i64 - 1,
    }
}

/// A delimiter, preferring ones that occur in the given values (the source a program searches):
/// weighted by how many values contain it, with a small chance of any delimiter at all.
pub fn delimiter(rng: &mut Rng, values: &[Value]) -> String {
    let counts: Vec<u32> =
        DELIMS.iter().map(|d| values.iter().filter(|v| contains(v, d)).count() as u32).collect();
    if counts.iter().all(|c| *c == 0) || rng.chance(1, 12) {
        return rng.pick(DELIMS).to_string();
    }
    // Every present delimiter weighs at least 1 and whole-column ones weigh most.
    let weights: Vec<u32> = counts.iter().map(|c| c * c).collect();
    DELIMS[rng.weighted(&weights)].to_string()
}

/// A piece of one of the values: a word or number in it, its first or last characters.
pub fn token(rng: &mut Rng, values: &[Value]) -> Option<String> {
    let strs: Vec<Vec<char>> = values
        .iter()
        .filter_map(|v| v.as_str())
        .map(|s| s.chars().to_vec())
        .filter(|s| !s.is_empty())
        .collect();
    if strs.is_empty() {
        return None;
    }
    let s = rng.pick(&strs);
    let n = s.len();
    let piece: String = match rng.weighted(&[5, 2, 2]) {
        0 => {
            let words: Vec<&[char]> = s.split(|c| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            if words.is_empty() {
                return None;
            }
            rng.pick(&words).iter().collect()
        }
        1 => s[..rng.range(1, n.min(3) as i64) as usize].iter().collect(),
        _ => s[n - rng.range(1, n.min(3) as i64) as usize..].iter().collect(),
    };
    (!piece.is_empty() && piece.chars().count() <= 12).then_some(piece)
}

/// An inserted string: mostly a fixed constant, sometimes a piece of the inputs.
pub fn insert(rng: &mut Rng, values: &[Value]) -> String {
    if rng.chance(1, 6) {
        if let Some(t) = token(rng, values) {
            return t;
        }
    }
    rng.pick(INSERTS).to_string()
}

fn contains(v: &Value, needle: &str) -> bool {
    let Some(s) = v.as_str() else { return false };
    let n: Vec<char> = needle.chars().collect();
    s.chars().windows(n.len()).any(|w| w == n.as_slice())
}
