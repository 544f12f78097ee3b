//! The training curve as a small hand-written SVG: losses on the left axis, validation accuracies
//! (0..1) on the right, both against steps.

use crate::train::LogRow;
use std::fmt::Write;

const W: f64 = 720.0;
const H: f64 = 360.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 60.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;

/// Renders the curve of the given log rows.
pub fn curve(rows: &[LogRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
    let max_step = rows.iter().map(|r| r.step).max().unwrap_or(1).max(1) as f64;
    let finite = |v: f64| v.is_finite().then_some(v);
    let max_loss = rows
        .iter()
        .flat_map(|r| [finite(r.train_loss), finite(r.val_loss)])
        .flatten()
        .fold(0.0f64, f64::max)
        .max(1e-6);
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let x = |step: usize| LEFT + pw * step as f64 / max_step;
    let y_loss = |v: f64| TOP + ph * (1.0 - v / max_loss);
    let y_acc = |v: f64| TOP + ph * (1.0 - v.clamp(0.0, 1.0));
    let _ =
        writeln!(s, r##"<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>"##);
    for i in 0..=4 {
        let f = i as f64 / 4.0;
        let yy = TOP + ph * (1.0 - f);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#eee"/><text x="{:.1}" y="{:.1}" text-anchor="end">{:.2}</text><text x="{:.1}" y="{:.1}">{:.2}</text>"##,
            LEFT + pw,
            LEFT - 4.0,
            yy + 4.0,
            max_loss * f,
            LEFT + pw + 4.0,
            yy + 4.0,
            f
        );
        let xx = LEFT + pw * f;
        let _ = writeln!(
            s,
            r#"<text x="{xx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            TOP + ph + 16.0,
            (max_step * f).round() as usize
        );
    }
    // (name, colour, value, whether it is an accuracy on the right axis)
    type Series = (&'static str, &'static str, fn(&LogRow) -> f64, bool);
    let series: [Series; 4] = [
        ("train loss", "#1f77b4", |r| r.train_loss, false),
        ("val loss", "#ff7f0e", |r| r.val_loss, false),
        ("val token acc", "#2ca02c", |r| r.val_token_acc, true),
        ("val exact acc", "#d62728", |r| r.val_exact_acc, true),
    ];
    for (i, (name, color, value, is_acc)) in series.iter().enumerate() {
        let point = |r: &LogRow| {
            let v = value(r);
            v.is_finite().then(|| (x(r.step), if *is_acc { y_acc(v) } else { y_loss(v) }))
        };
        let pts: Vec<String> =
            rows.iter().filter_map(&point).map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
        if !pts.is_empty() {
            let _ = writeln!(
                s,
                r#"<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{}"/>"#,
                pts.join(" ")
            );
        }
        let lx = LEFT + 10.0 + 150.0 * i as f64;
        let _ = writeln!(
            s,
            r#"<rect x="{lx:.1}" y="8" width="12" height="4" fill="{color}"/><text x="{:.1}" y="14">{name}</text>"#,
            lx + 16.0
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">step (loss: left axis, accuracy: right axis)</text>"#,
        LEFT + pw / 2.0,
        H - 6.0
    );
    s.push_str("</svg>\n");
    s
}
