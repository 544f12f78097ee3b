//! Small Python functions for the operators whose SMT-LIB meaning differs from Python's built-ins.
//!
//! Each helper is emitted only when an exported function uses it, once per module, before the
//! functions. Their names start with an underscore so that they read as private to the module.

/// A helper function. The order of the variants is the order in which they are printed; `Signed`
/// comes first because the signed bit-vector helpers call it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Helper {
    Signed,
    Div,
    At,
    Substr,
    IndexOf,
    ReplaceAll,
    ToInt,
    FromInt,
    IsDigit,
    Upper,
    Lower,
    ToCode,
    FromCode,
    Shl,
    Ashr,
    Udiv,
    Urem,
    Sdiv,
    Srem,
    Smod,
    RotateLeft,
    Field,
    Date,
    DayName,
    NumAt,
}

/// Every helper, for reserving their names.
pub const ALL: [Helper; 25] = [
    Helper::Signed,
    Helper::Div,
    Helper::At,
    Helper::Substr,
    Helper::IndexOf,
    Helper::ReplaceAll,
    Helper::ToInt,
    Helper::FromInt,
    Helper::IsDigit,
    Helper::Upper,
    Helper::Lower,
    Helper::ToCode,
    Helper::FromCode,
    Helper::Shl,
    Helper::Ashr,
    Helper::Udiv,
    Helper::Urem,
    Helper::Sdiv,
    Helper::Srem,
    Helper::Smod,
    Helper::RotateLeft,
    Helper::Field,
    Helper::Date,
    Helper::DayName,
    Helper::NumAt,
];

impl Helper {
    /// The Python name the generated code calls.
    pub fn name(self) -> &'static str {
        match self {
            Helper::Signed => "_signed",
            Helper::Div => "_div",
            Helper::At => "_at",
            Helper::Substr => "_substr",
            Helper::IndexOf => "_indexof",
            Helper::ReplaceAll => "_replace_all",
            Helper::ToInt => "_to_int",
            Helper::FromInt => "_from_int",
            Helper::IsDigit => "_is_digit",
            Helper::Upper => "_upper",
            Helper::Lower => "_lower",
            Helper::ToCode => "_to_code",
            Helper::FromCode => "_from_code",
            Helper::Shl => "_shl",
            Helper::Ashr => "_ashr",
            Helper::Udiv => "_udiv",
            Helper::Urem => "_urem",
            Helper::Sdiv => "_sdiv",
            Helper::Srem => "_srem",
            Helper::Smod => "_smod",
            Helper::RotateLeft => "_rotate_left",
            Helper::Field => "_field",
            Helper::Date => "_date",
            Helper::DayName => "_day_name",
            Helper::NumAt => "_num_at",
        }
    }

    /// The helpers this one calls, which must be emitted with it.
    pub fn deps(self) -> &'static [Helper] {
        match self {
            Helper::Ashr | Helper::Sdiv | Helper::Srem | Helper::Smod => &[Helper::Signed],
            Helper::DayName => &[Helper::Date],
            _ => &[],
        }
    }

    /// The Python definition, ending with a newline.
    pub fn code(self) -> &'static str {
        match self {
            Helper::Signed => {
                r#"def _signed(x: int, w: int) -> int:
    """The w-bit vector x read as a two's complement number."""
    return x - (1 << w) if x >> (w - 1) else x
"#
            }
            Helper::Div => {
                r#"def _div(a: int, b: int) -> int:
    """SMT-LIB `div`: Euclidean division, whose remainder `a % abs(b)` is never negative."""
    return a // b if b > 0 else -(a // -b)
"#
            }
            Helper::At => {
                r#"def _at(s: str, i: int) -> str:
    """SMT-LIB `str.at`: the character at i, or "" when i is out of range."""
    return s[i] if 0 <= i < len(s) else ""
"#
            }
            Helper::Substr => {
                r#"def _substr(s: str, i: int, n: int) -> str:
    """SMT-LIB `str.substr`: at most n characters from i; "" for a negative i or n <= 0."""
    return s[i:i + n] if i >= 0 and n > 0 else ""
"#
            }
            Helper::IndexOf => {
                r#"def _indexof(s: str, t: str, i: int) -> int:
    """SMT-LIB `str.indexof`: the first t at or after i, or -1 (also for a negative i)."""
    return s.find(t, i) if i >= 0 else -1
"#
            }
            Helper::ReplaceAll => {
                r#"def _replace_all(s: str, t: str, u: str) -> str:
    """SMT-LIB `str.replace_all`: an empty pattern replaces nothing."""
    return s.replace(t, u) if t else s
"#
            }
            Helper::ToInt => {
                r#"def _to_int(s: str) -> int:
    """SMT-LIB `str.to_int`: the value of a non-empty string of ASCII digits, else -1."""
    if not (s.isascii() and s.isdigit()):
        return -1
    # Leading zeros are dropped so that Python's limit on the length of int("...") is not reached.
    return int(s.lstrip("0") or "0")
"#
            }
            Helper::FromInt => {
                r#"def _from_int(n: int) -> str:
    """SMT-LIB `str.from_int`: the decimal digits of n, or "" when n is negative."""
    return str(n) if n >= 0 else ""
"#
            }
            Helper::IsDigit => {
                r#"def _is_digit(s: str) -> bool:
    """SMT-LIB `str.is_digit`: whether s is a single ASCII digit."""
    return len(s) == 1 and "0" <= s <= "9"
"#
            }
            Helper::Upper => {
                r#"def _upper(s: str) -> str:
    """cvc5 `str.to_upper`: the ASCII letters a-z become A-Z; no other character changes."""
    return s.upper() if s.isascii() else "".join(c.upper() if c.isascii() else c for c in s)
"#
            }
            Helper::Lower => {
                r#"def _lower(s: str) -> str:
    """cvc5 `str.to_lower`: the ASCII letters A-Z become a-z; no other character changes."""
    return s.lower() if s.isascii() else "".join(c.lower() if c.isascii() else c for c in s)
"#
            }
            Helper::ToCode => {
                r#"def _to_code(s: str) -> int:
    """SMT-LIB `str.to_code`: the code point of a single character, else -1."""
    return ord(s) if len(s) == 1 else -1
"#
            }
            Helper::FromCode => {
                r#"def _from_code(n: int) -> str:
    """SMT-LIB `str.from_code`: the character with code point n, or "" outside 0..0x2FFFF."""
    return chr(n) if 0 <= n <= 0x2FFFF else ""
"#
            }
            Helper::Shl => {
                r#"def _shl(x: int, n: int, w: int) -> int:
    """SMT-LIB `bvshl` on w bits: shifting by w or more gives 0."""
    return (x << n) & ((1 << w) - 1) if n < w else 0
"#
            }
            Helper::Ashr => {
                r#"def _ashr(x: int, n: int, w: int) -> int:
    """SMT-LIB `bvashr` on w bits: the sign bit fills the vacated bits."""
    return (_signed(x, w) >> min(n, w)) & ((1 << w) - 1)
"#
            }
            Helper::Udiv => {
                r#"def _udiv(x: int, y: int, w: int) -> int:
    """SMT-LIB `bvudiv` on w bits: division by zero gives all ones."""
    return x // y if y else (1 << w) - 1
"#
            }
            Helper::Urem => {
                r#"def _urem(x: int, y: int) -> int:
    """SMT-LIB `bvurem`: the remainder by zero is the dividend."""
    return x % y if y else x
"#
            }
            Helper::Sdiv => {
                r#"def _sdiv(x: int, y: int, w: int) -> int:
    """SMT-LIB `bvsdiv` on w bits: truncating signed division (by zero: -1, or 1 when x < 0)."""
    s, t = _signed(x, w), _signed(y, w)
    if t == 0:
        q = 1 if s < 0 else -1
    else:
        q = abs(s) // abs(t)
        if (s < 0) != (t < 0):
            q = -q
    return q & ((1 << w) - 1)
"#
            }
            Helper::Srem => {
                r#"def _srem(x: int, y: int, w: int) -> int:
    """SMT-LIB `bvsrem` on w bits: the remainder takes the sign of x (by zero: x)."""
    s, t = _signed(x, w), _signed(y, w)
    r = abs(s) % abs(t) if t else abs(s)
    return (-r if s < 0 else r) & ((1 << w) - 1)
"#
            }
            Helper::Smod => {
                r#"def _smod(x: int, y: int, w: int) -> int:
    """SMT-LIB `bvsmod` on w bits: the remainder takes the sign of y (by zero: x)."""
    s, t = _signed(x, w), _signed(y, w)
    return (s % t if t else s) & ((1 << w) - 1)
"#
            }
            Helper::RotateLeft => {
                r#"def _rotate_left(x: int, k: int, w: int) -> int:
    """SMT-LIB `rotate_left` by k on w bits."""
    k %= w
    return ((x << k) | (x >> (w - k))) & ((1 << w) - 1)
"#
            }
            Helper::Field => {
                r#"def _field(s: str, d: str, k: int) -> str:
    """Quill's `field`: piece k of s split on d, k = 0 to 4 from the front, -1 the last and -2 the
    one before it ("" where there is none); the last pieces are found past at most 12 separators."""
    if not d or not -2 <= k <= 4:
        return ""
    parts = s.split(d, 12)
    if k >= 0:
        return parts[k] if k < len(parts) else ""
    if k == -1:
        return parts[-1]
    return parts[-2] if len(parts) >= 2 and s.count(d) <= 12 else ""
"#
            }
            Helper::Date => {
                r#"def _date(s: str) -> tuple[int, int, int]:
    """Quill's calendar reading of a date as (year, month, day), -1 for a missing part: a month
    named by its first three letters (`06-Oct-2143`, `Mar 30 2002`: the day is the first number if
    it has at most two digits), eight digits as MMDDYYYY (YYYYMMDD when the first two digits are no
    month; seven as MDDYYYY), a four-digit year and a three-digit day of the year (`2067 309`), a four-digit year
    first (`2143-10-06`), day first with a `.` (`15.3.1902`), else
    month/day/year, in the other order when that one makes no month and the other does
    (`30/9/2004`). A two-digit year is in 1930-2029. Numbers are runs of at most 8 ASCII digits."""
    nums, dot, i = [], False, 0
    while len(nums) < 3:
        while i < len(s) and not "0" <= s[i] <= "9":
            i += 1
        j = i
        while j < len(s) and j - i < 8 and "0" <= s[j] <= "9":
            j += 1
        nums.append(s[i:j])
        dot = dot or (len(nums) == 1 and s[j:j + 1] == ".")
        i = j
    a, b, c = nums

    def year(t: str) -> int:
        v = int(t or -1)
        return v + (2000 if v < 30 else 1900) if len(t) == 2 else v

    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    named = next((k + 1 for k, m in enumerate(months) if m in s), 0)
    if named:
        day, y = (a, b) if len(a) <= 2 else (b, a)
        return year(y), named, int(day or -1)
    if len(a) == 4 and len(b) == 3 and not c:
        yy, n = int(a), int(b)
        leap = yy % 4 == 0 and (yy % 100 != 0 or yy % 400 == 0)

        def before(m: int) -> int:
            return (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)[m - 1] + (1 if m > 2 and leap else 0)

        m = next((m for m in range(12, 1, -1) if n > before(m)), 1)
        return yy, m, n - before(m)
    if len(a) == 7:
        a = "0" + a
    if len(a) == 8:
        y, m, d = (a[4:], a[:2], a[2:4]) if int(a[:2]) <= 12 else (a[:4], a[4:6], a[6:])
    elif len(a) == 4:
        y, m, d = a, b, c
    else:
        first, second = int(a or -1), int(b or -1)
        swap = (second > 12 and first <= 12) if dot else (first > 12 and second <= 12)
        y, m, d = (c, b, a) if dot != swap else (c, a, b)
    return year(y), int(m or -1), int(d or -1)
"#
            }
            Helper::NumAt => {
                r#"def _num_at(s: str, i: int) -> str:
    """Quill's `num_at`: the i-th run of ASCII digits of s, i from 0 to 3 (less counts as 0, more
    as 3), where a run of more than 20 digits counts as runs of 20 and a rest; "" without one."""
    runs, run = [], ""
    for c in s + " ":
        if "0" <= c <= "9" and len(run) < 20:
            run += c
            continue
        if run:
            runs.append(run)
        run = c if "0" <= c <= "9" else ""
    k = min(max(i, 0), 3)
    return runs[k] if k < len(runs) else ""
"#
            }
            Helper::DayName => {
                r#"def _day_name(s: str) -> str:
    """The weekday of the date `_date` reads in s (two-digit years in 1930-2029), or ""."""
    y, m, d = _date(s)
    if not (1 <= m <= 12 and 1 <= d <= 31 and y >= 0):
        return ""
    if y < 100:
        y += 2000 if y < 30 else 1900
    if m < 3:
        y -= 1
    w = y + y // 4 - y // 100 + y // 400 + (0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4)[m - 1] + d
    return ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")[w % 7]
"#
            }
        }
    }
}
