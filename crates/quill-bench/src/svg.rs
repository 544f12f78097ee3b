//! Hand-written SVG plots: a cactus plot of solving times and a bar chart of generalization.
//!
//! Two small chart types do not justify a plotting crate; writing the SVG directly keeps the output
//! plain, diffable and readable in any browser or Markdown viewer.

use std::fmt::Write;

/// Line colours, one per solver in order (Quill first).
pub const COLORS: [&str; 5] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

const W: f64 = 640.0;
const H: f64 = 400.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 52.0;

/// One solver's solving times (seconds) on the tasks it solved.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub times: Vec<f64>,
}

/// Escapes text for use in SVG.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn open(title: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15">{}</text>"#,
        W / 2.0,
        esc(title)
    );
    s
}

/// A step for about `target` ticks over `0..max`: 1, 2 or 5 times a power of ten.
fn nice_step(max: f64, target: f64) -> f64 {
    let raw = (max / target).max(1e-9);
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|s| *s >= raw).unwrap_or(10.0 * p)
}

fn fmt_num(v: f64) -> String {
    if v >= 1.0 || v == 0.0 {
        format!("{}", (v * 1000.0).round() / 1000.0)
    } else {
        format!("{v:.3}").trim_end_matches('0').to_string()
    }
}

/// A cactus plot: for each solver, its k-th fastest solving time against k. The y axis is
/// logarithmic (times span milliseconds to the limit); `limit` is drawn as a dashed line and
/// `total` (the number of tasks) sets the x axis, so the distance to "all solved" shows.
pub fn cactus(title: &str, series: &[Series], limit: f64, total: usize) -> String {
    let mut s = open(title);
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let all = series.iter().flat_map(|x| x.times.iter().copied());
    let tmin = all.clone().fold(limit, f64::min).max(1e-3);
    let tmax = all.fold(limit, f64::max);
    let (lo, hi) = (tmin.log10().floor(), tmax.log10().ceil().max(tmin.log10().floor() + 1.0));
    let xmax = total.max(1) as f64;
    let x = |k: f64| LEFT + k / xmax * pw;
    let y = |t: f64| TOP + ph - (t.max(1e-3).log10() - lo) / (hi - lo) * ph;
    // Grid and y ticks at every decade.
    for d in (lo as i32)..=(hi as i32) {
        let v = 10f64.powi(d);
        let yy = y(v);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{}" y2="{yy:.1}" stroke="#e5e5e5"/>"##,
            LEFT + pw
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 6.0,
            yy + 4.0,
            fmt_num(v)
        );
    }
    let step = nice_step(xmax, 8.0);
    let mut k = 0.0;
    while k <= xmax + 1e-9 {
        let xx = x(k);
        let _ = writeln!(
            s,
            r##"<line x1="{xx:.1}" y1="{}" x2="{xx:.1}" y2="{}" stroke="#333"/>"##,
            TOP + ph,
            TOP + ph + 5.0
        );
        let _ = writeln!(
            s,
            r#"<text x="{xx:.1}" y="{}" text-anchor="middle">{}</text>"#,
            TOP + ph + 18.0,
            fmt_num(k)
        );
        k += step;
    }
    axes(&mut s, pw, ph, "tasks solved", "time per task (s, log scale)");
    let ly = y(limit);
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" y1="{ly:.1}" x2="{}" y2="{ly:.1}" stroke="#888" stroke-dasharray="6 4"/><text x="{}" y="{:.1}" text-anchor="end" fill="#666">limit {} s</text>"##,
        LEFT + pw,
        LEFT + pw - 4.0,
        ly - 5.0,
        fmt_num(limit)
    );
    for (i, ser) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let mut times = ser.times.clone();
        times.sort_by(f64::total_cmp);
        let pts: Vec<String> =
            times.iter().enumerate().map(|(k, t)| format!("{:.1},{:.1}", x(k as f64 + 1.0), y(*t))).collect();
        if !pts.is_empty() {
            let _ = writeln!(
                s,
                r#"<polyline fill="none" stroke="{color}" stroke-width="2" points="{}"/>"#,
                pts.join(" ")
            );
            if pts.len() <= 60 {
                for p in &pts {
                    let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
                    let _ = writeln!(s, r#"<circle cx="{px}" cy="{py}" r="2.5" fill="{color}"/>"#);
                }
            }
        }
        legend(&mut s, i, color, &format!("{} ({} solved)", ser.name, times.len()));
    }
    s.push_str("</svg>\n");
    s
}

/// A grouped bar chart of shares in `0..=1`: one group per suite, one bar per solver. `values[g][i]`
/// is `None` where a solver has nothing to score in a group; `labels[g][i]` is written above the bar.
pub fn bars(
    title: &str,
    groups: &[String],
    solvers: &[String],
    values: &[Vec<Option<(f64, String)>>],
) -> String {
    let mut s = open(title);
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let y = |v: f64| TOP + ph - v.clamp(0.0, 1.0) * ph;
    for pct in [0, 25, 50, 75, 100] {
        let yy = y(pct as f64 / 100.0);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{}" y2="{yy:.1}" stroke="#e5e5e5"/>"##,
            LEFT + pw
        );
        let _ =
            writeln!(s, r#"<text x="{}" y="{:.1}" text-anchor="end">{pct}%</text>"#, LEFT - 6.0, yy + 4.0);
    }
    if groups.is_empty() {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#666">no held-out examples in this run</text>"##,
            LEFT + pw / 2.0,
            TOP + ph / 2.0
        );
    }
    let gw = pw / groups.len().max(1) as f64;
    let bw = (gw * 0.7 / solvers.len().max(1) as f64).min(60.0);
    for (g, name) in groups.iter().enumerate() {
        let gx = LEFT + g as f64 * gw + (gw - bw * solvers.len() as f64) / 2.0;
        for (i, v) in values.get(g).into_iter().flatten().enumerate() {
            let Some((share, label)) = v else { continue };
            let (bx, by) = (gx + i as f64 * bw, y(*share));
            let color = COLORS[i % COLORS.len()];
            let _ = writeln!(
                s,
                r#"<rect x="{bx:.1}" y="{by:.1}" width="{:.1}" height="{:.1}" fill="{color}"/>"#,
                bw - 4.0,
                TOP + ph - by
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11">{}</text>"#,
                bx + bw / 2.0 - 2.0,
                by - 4.0,
                esc(label)
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            LEFT + (g as f64 + 0.5) * gw,
            TOP + ph + 18.0,
            esc(name)
        );
    }
    axes(&mut s, pw, ph, "suite", "solved tasks right on all held-out examples");
    // The legend goes in one row above the plot, where no bar can reach.
    let mut lx = LEFT + pw;
    for (i, name) in solvers.iter().enumerate().rev() {
        lx -= 30.0 + 7.0 * name.chars().count() as f64;
        let _ = writeln!(
            s,
            r#"<rect x="{lx:.1}" y="{}" width="14" height="4" fill="{}"/><text x="{:.1}" y="{}">{}</text>"#,
            TOP - 14.0,
            COLORS[i % COLORS.len()],
            lx + 20.0,
            TOP - 8.0,
            esc(name)
        );
    }
    s.push_str("</svg>\n");
    s
}

fn axes(s: &mut String, pw: f64, ph: f64, xlabel: &str, ylabel: &str) {
    let (x0, y0) = (LEFT, TOP + ph);
    let _ = writeln!(s, r##"<line x1="{x0}" y1="{y0}" x2="{}" y2="{y0}" stroke="#333"/>"##, x0 + pw);
    let _ = writeln!(s, r##"<line x1="{x0}" y1="{TOP}" x2="{x0}" y2="{y0}" stroke="#333"/>"##);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        x0 + pw / 2.0,
        H - 12.0,
        esc(xlabel)
    );
    let _ = writeln!(
        s,
        r#"<text x="16" y="{0}" text-anchor="middle" transform="rotate(-90 16 {0})">{1}</text>"#,
        TOP + ph / 2.0,
        esc(ylabel)
    );
}

fn legend(s: &mut String, i: usize, color: &str, label: &str) {
    let (lx, ly) = (LEFT + 12.0, TOP + 10.0 + i as f64 * 18.0);
    let _ = writeln!(
        s,
        r#"<rect x="{lx}" y="{}" width="14" height="4" fill="{color}"/><text x="{}" y="{}">{}</text>"#,
        ly - 2.0,
        lx + 20.0,
        ly + 4.0,
        esc(label)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn balanced(svg: &str) {
        assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }

    #[test]
    fn cactus_has_axes_ticks_legend_and_lines() {
        let series = vec![
            Series { name: "quill".into(), times: vec![0.5, 0.02, 3.0] },
            Series { name: "cvc5 <1.0>".into(), times: vec![] },
        ];
        let svg = cactus("pbe & co", &series, 10.0, 5);
        balanced(&svg);
        assert!(svg.contains("pbe &amp; co") && svg.contains("cvc5 &lt;1.0&gt; (0 solved)"));
        assert!(svg.contains("<polyline") && svg.contains("limit 10 s") && svg.contains("tasks solved"));
        for tick in [">0.01<", ">0.1<", ">1<", ">10<"] {
            assert!(svg.contains(tick), "missing tick {tick}");
        }
    }

    #[test]
    fn bars_handle_empty_and_full_data() {
        balanced(&bars("g", &[], &["quill".into()], &[]));
        let v = vec![vec![Some((0.5, "1/2".to_string())), None]];
        let svg = bars("g", &["bustle".into()], &["quill".into(), "cvc5".into()], &v);
        balanced(&svg);
        assert_eq!(svg.matches("<rect").count(), 1 + 1 + 2, "background, one bar, two legend swatches");
        assert!(svg.contains("1/2") && svg.contains("100%"));
    }
}
