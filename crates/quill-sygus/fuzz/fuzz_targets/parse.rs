//! Feeds arbitrary UTF-8 text to the SyGuS-IF parser: it must return a problem or an error, never
//! panic, loop or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = quill_sygus::parse(text, "fuzz.sl");
});
