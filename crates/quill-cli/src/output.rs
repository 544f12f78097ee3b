//! Writing results to standard output.

use std::io::Write;

/// Prints a line of results. A closed pipe (as in `quill synth f.sl | head -1`) ends the program
/// quietly, as command-line tools do, instead of panicking the way `println!` would.
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|_| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("quill: cannot write the result: {e}");
        std::process::exit(1);
    }
}
