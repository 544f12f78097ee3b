//! Generators of realistic inputs: names, dates, e-mail addresses, phone numbers, URLs, product
//! codes, prices, street addresses, file paths, words and numbers, each in several formats.
//!
//! A task fixes one *style* (format) per string parameter, as real tasks mostly do (every date in
//! one column written alike); some tasks mix styles across examples, which is what conditional
//! programs are for.

mod words;

use crate::rng::Rng;
use quill_lang::{Sort, Value};
use words::*;

/// An input generator. The names are written into the data (`gens` of a task) and are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gen {
    Name,
    FirstName,
    LastName,
    Date,
    Time,
    Email,
    Phone,
    Url,
    Code,
    Price,
    Address,
    Place,
    Path,
    Words,
    Number,
    Word,
    Company,
    Quantity,
    /// An integer parameter: a small count or position.
    Int,
    /// A 64-bit bit-vector parameter.
    Bv64,
}

/// Every string generator, in a fixed order (domain sampling indexes into it).
pub const STRING_GENS: &[Gen] = &[
    Gen::Name,
    Gen::FirstName,
    Gen::LastName,
    Gen::Date,
    Gen::Time,
    Gen::Email,
    Gen::Phone,
    Gen::Url,
    Gen::Code,
    Gen::Price,
    Gen::Address,
    Gen::Place,
    Gen::Path,
    Gen::Words,
    Gen::Number,
    Gen::Word,
    Gen::Company,
    Gen::Quantity,
];

impl Gen {
    /// The generator with this name (as written in a task's `gens`).
    pub fn from_name(name: &str) -> Option<Gen> {
        STRING_GENS.iter().chain(&[Gen::Int, Gen::Bv64]).copied().find(|g| g.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Gen::Name => "name",
            Gen::FirstName => "firstname",
            Gen::LastName => "lastname",
            Gen::Date => "date",
            Gen::Time => "time",
            Gen::Email => "email",
            Gen::Phone => "phone",
            Gen::Url => "url",
            Gen::Code => "code",
            Gen::Price => "price",
            Gen::Address => "address",
            Gen::Place => "place",
            Gen::Path => "path",
            Gen::Words => "words",
            Gen::Number => "number",
            Gen::Word => "word",
            Gen::Company => "company",
            Gen::Quantity => "quantity",
            Gen::Int => "int",
            Gen::Bv64 => "bv64",
        }
    }

    /// How many styles (formats) the generator has.
    pub fn styles(self) -> usize {
        match self {
            Gen::Name => 9,
            Gen::Date => 10,
            Gen::Time => 4,
            Gen::Email => 4,
            Gen::Phone => 7,
            Gen::Url => 4,
            Gen::Code => 7,
            Gen::Price => 6,
            Gen::Address => 4,
            Gen::Place => 4,
            Gen::Path => 4,
            Gen::Words => 3,
            Gen::Number => 6,
            Gen::Word => 3,
            Gen::Company => 1,
            Gen::Quantity => 3,
            Gen::FirstName | Gen::LastName => 3,
            Gen::Int => 2,
            Gen::Bv64 => 4,
        }
    }

    /// The sort of the values it generates.
    pub fn sort(self) -> Sort {
        match self {
            Gen::Int => Sort::Int,
            Gen::Bv64 => Sort::BitVec(64),
            _ => Sort::String,
        }
    }

    /// One input in the given style (taken modulo the style count).
    pub fn value(self, rng: &mut Rng, style: usize) -> Value {
        let style = style % self.styles();
        match self {
            Gen::Int => Value::Int(int(rng, style)),
            Gen::Bv64 => Value::bv(64, bv64(rng, style)),
            _ => Value::str(&self.string(rng, style)),
        }
    }

    fn string(self, rng: &mut Rng, style: usize) -> String {
        match self {
            Gen::Name => name(rng, style),
            Gen::FirstName => cased(pick(rng, FIRST), style),
            Gen::LastName => cased(pick(rng, LAST), style),
            Gen::Date => date(rng, style),
            Gen::Time => time(rng, style),
            Gen::Email => email(rng, style),
            Gen::Phone => phone(rng, style),
            Gen::Url => url(rng, style),
            Gen::Code => code(rng, style),
            Gen::Price => price(rng, style),
            Gen::Address => address(rng, style),
            Gen::Place => place(rng, style),
            Gen::Path => path(rng, style),
            Gen::Words => words(rng, style),
            Gen::Number => number(rng, style),
            Gen::Word => cased(pick(rng, WORDS), style),
            Gen::Company => pick(rng, COMPANIES).to_string(),
            Gen::Quantity => quantity(rng, style),
            Gen::Int | Gen::Bv64 => String::new(),
        }
    }
}

/// A small integer parameter: a count or position (style 0), or a width (style 1).
pub fn int(rng: &mut Rng, style: usize) -> i64 {
    match style % 2 {
        0 => rng.range(0, 6),
        _ => rng.range(1, 12),
    }
}

/// A 64-bit value: mostly uniform, as in the PBE bit-vector track, sometimes small, sparse or dense
/// so that programs testing low bits or comparing with constants meet both outcomes.
pub fn bv64(rng: &mut Rng, style: usize) -> u64 {
    match style % 4 {
        0 | 1 => rng.next_u64(),
        2 => rng.next_u64() >> rng.range(32, 62),
        _ => rng.next_u64() & rng.next_u64() & rng.next_u64(),
    }
}

fn pick(rng: &mut Rng, xs: &[&'static str]) -> &'static str {
    xs[rng.below(xs.len())]
}

fn cased(s: &str, style: usize) -> String {
    match style {
        1 => s.to_uppercase(),
        2 => s.to_lowercase(),
        _ => s.to_string(),
    }
}

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.below(10) as u8)).collect()
}

fn letters(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'A' + rng.below(26) as u8)).collect()
}

fn initial(s: &str) -> char {
    s.chars().next().unwrap_or('X')
}

fn name(rng: &mut Rng, style: usize) -> String {
    let (f, l, m) = (pick(rng, FIRST), pick(rng, LAST), pick(rng, FIRST));
    match style {
        0 => format!("{f} {l}"),
        1 => format!("{f} {}. {l}", initial(m)),
        2 => format!("{l}, {f}"),
        3 => format!("{} {f} {l}", pick(rng, TITLES)),
        4 => format!("{}. {l}", initial(f)),
        5 => format!("{f} {m} {l}"),
        6 => format!("{f} {l}, {}", pick(rng, SUFFIXES)),
        7 => format!("{} {}", f.to_lowercase(), l.to_lowercase()),
        _ => format!("{}, {f} {}.", l.to_uppercase(), initial(m)),
    }
}

fn date(rng: &mut Rng, style: usize) -> String {
    let (y, m, d) = (rng.range(1950, 2030), rng.range(1, 12), rng.range(1, 28));
    let month = MONTHS[(m - 1) as usize];
    match style {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{m:02}/{d:02}/{y}"),
        2 => format!("{d:02}.{m:02}.{y}"),
        3 => format!("{month} {d}, {y}"),
        4 => format!("{d} {} {y}", &month[..3]),
        5 => format!("{}-{d:02}-{:02}", &month[..3], y % 100),
        6 => format!("{y}{m:02}{d:02}"),
        7 => format!("{m}/{d}/{}", y % 100),
        8 => format!("{}, {month} {d}, {y}", pick(rng, WEEKDAYS)),
        _ => format!("{y}/{m}/{d}"),
    }
}

fn time(rng: &mut Rng, style: usize) -> String {
    let (h, m, s) = (rng.range(0, 23), rng.range(0, 59), rng.range(0, 59));
    let h12 = if h % 12 == 0 { 12 } else { h % 12 };
    let ampm = if h < 12 { "AM" } else { "PM" };
    match style {
        0 => format!("{h:02}:{m:02}"),
        1 => format!("{h:02}:{m:02}:{s:02}"),
        2 => format!("{h12}:{m:02} {ampm}"),
        _ => format!("{h12}{}", ampm.to_lowercase()),
    }
}

fn email(rng: &mut Rng, style: usize) -> String {
    let (f, l) = (pick(rng, FIRST).to_lowercase(), pick(rng, LAST).to_lowercase().replace(['\'', ' '], ""));
    let dom = pick(rng, DOMAINS);
    match style {
        0 => format!("{f}.{l}@{dom}"),
        1 => format!("{}{l}{}@{dom}", initial(&f), rng.range(1, 99)),
        2 => format!("{f}_{l}@{dom}"),
        _ => format!("{f}@{dom}"),
    }
}

fn phone(rng: &mut Rng, style: usize) -> String {
    let (a, b, c) = (digits(rng, 3), digits(rng, 3), digits(rng, 4));
    match style {
        0 => format!("{a}-{b}-{c}"),
        1 => format!("({a}) {b}-{c}"),
        2 => format!("{a}.{b}.{c}"),
        3 => format!("+1 ({a}) {b}-{c}"),
        4 => format!("+{} {a}-{b}-{}", rng.range(1, 199), digits(rng, 3)),
        5 => format!("{a} {b} {c}"),
        _ => format!("{a}{b}{c}"),
    }
}

fn url(rng: &mut Rng, style: usize) -> String {
    let host = format!("{}.{}", pick(rng, SITES), pick(rng, TLDS));
    let (p1, p2) = (pick(rng, PATH_WORDS), pick(rng, PATH_WORDS));
    match style {
        0 => format!("https://www.{host}/{p1}/{p2}.{}", pick(rng, EXTENSIONS)),
        1 => format!("http://{host}/{p1}?id={}", rng.range(1, 9999)),
        2 => format!("www.{host}"),
        _ => format!("https://{host}/{p1}/{p2}/"),
    }
}

fn code(rng: &mut Rng, style: usize) -> String {
    match style {
        0 => format!("{}-{}-{}", letters(rng, 3), digits(rng, 4), letters(rng, 2)),
        1 => format!("SKU_{}", digits(rng, 5)),
        2 => format!("{}{}", pick(rng, BRANDS), rng.range(1, 12) * 50),
        3 => format!("PN {}-{}{}", digits(rng, 2), letters(rng, 1), digits(rng, 2)),
        4 => format!("{}{}", letters(rng, 2), digits(rng, 6)),
        5 => format!("{}/{}/{}", letters(rng, 1), digits(rng, 3), rng.range(1, 9)),
        _ => format!("#{}", digits(rng, 4)),
    }
}

fn price(rng: &mut Rng, style: usize) -> String {
    let (whole, cents) = (rng.range(1, 2500), rng.range(0, 99));
    let (sym, iso) = *rng.pick(CURRENCIES);
    match style {
        0 => format!("${whole}.{cents:02}"),
        1 => format!("{sym}{whole}.{cents:02}"),
        2 => format!("{iso} {whole}.{cents:02}"),
        3 => format!("{whole}.{cents:02} {iso}"),
        4 => format!("${},{:03}.{cents:02}", whole / 10 + 1, rng.range(0, 999)),
        _ => format!("{whole},{cents:02} {sym}"),
    }
}

fn address(rng: &mut Rng, style: usize) -> String {
    let (city, st, _) = *rng.pick(CITIES);
    let street = format!("{} {} {}", rng.range(1, 9999), pick(rng, STREETS), pick(rng, STREET_KINDS));
    match style {
        0 => format!("{street}, {city}, {st} {}", digits(rng, 5)),
        1 => format!("{street}, {city}, {st}"),
        2 => format!("{street}, Apt {}, {city}", rng.range(1, 40)),
        _ => street,
    }
}

fn place(rng: &mut Rng, style: usize) -> String {
    let (city, st, state) = *rng.pick(CITIES);
    match style {
        0 => format!("{city}, {st}"),
        1 => format!("{city}, {state}, {}", if rng.chance(2, 3) { "USA" } else { pick(rng, COUNTRIES) }),
        2 => format!("University of {state}, {city}"),
        _ => format!("{city} ({st})"),
    }
}

fn path(rng: &mut Rng, style: usize) -> String {
    let (a, b) = (pick(rng, PATH_WORDS), pick(rng, PATH_WORDS));
    let file = format!("{}.{}", pick(rng, WORDS), pick(rng, EXTENSIONS));
    match style {
        0 => format!("/{a}/{b}/{file}"),
        1 => format!("C:\\{a}\\{b}\\{file}"),
        2 => format!("{a}/{file}"),
        _ => file,
    }
}

fn words(rng: &mut Rng, style: usize) -> String {
    let n = rng.range(2, 5) as usize;
    let ws: Vec<&str> = (0..n).map(|_| pick(rng, WORDS)).collect();
    match style {
        0 => ws.join(" "),
        1 => {
            let mut s = ws.join(" ");
            if let Some(c) = s.get(..1) {
                s = c.to_uppercase() + &s[1..];
            }
            s + "."
        }
        _ => ws.join(if rng.chance(1, 2) { "_" } else { "-" }),
    }
}

fn number(rng: &mut Rng, style: usize) -> String {
    match style {
        0 => rng.range(0, 99999).to_string(),
        1 => format!("{}.{}", rng.range(0, 999), digits(rng, 2)),
        2 => format!("{},{:03}", rng.range(1, 999), rng.range(0, 999)),
        3 => format!("-{}", rng.range(1, 9999)),
        4 => format!("{:06}", rng.range(0, 99999)),
        _ => format!("{}%", rng.range(0, 100)),
    }
}

fn quantity(rng: &mut Rng, style: usize) -> String {
    let (n, unit) = (rng.range(1, 999), pick(rng, UNITS));
    match style {
        0 => format!("{n} {unit}"),
        1 => format!("{n}{unit}"),
        _ => format!("{n} x {}", pick(rng, WORDS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generator_and_style_gives_values_of_its_sort() {
        let mut rng = Rng::for_stream(1, 2);
        for g in STRING_GENS.iter().chain(&[Gen::Int, Gen::Bv64]) {
            assert_eq!(Gen::from_name(g.name()), Some(*g));
            for style in 0..g.styles() {
                let vals: Vec<Value> = (0..20).map(|_| g.value(&mut rng, style)).collect();
                assert!(vals.iter().all(|v| v.sort() == g.sort()), "{g:?}");
                if g.sort() == Sort::String {
                    assert!(vals.iter().all(|v| v.as_str().is_some_and(|s| !s.is_empty())), "{g:?} {style}");
                }
                // Each style varies (a column of one repeated value teaches nothing).
                assert!(vals.windows(2).any(|w| w[0] != w[1]), "{g:?} style {style}: {vals:?}");
            }
        }
    }
}
