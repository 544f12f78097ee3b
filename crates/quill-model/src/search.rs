//! Proposing programs with the model under a grammar: beam search and sampling, both masked by
//! [`GrammarDecoder`] so that every proposal is a term of the grammar.

use crate::batch::Rng;
use crate::constrain::{DecodeState, GrammarDecoder};
use crate::infer::{Encoded, InferError, Model};
use crate::vocab::EOS;
use quill_lang::Term;
use std::time::Instant;

/// A proposed program with its log-probability under the model (masked distribution).
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub term: Term,
    pub tokens: Vec<u32>,
    pub logp: f32,
    /// `(Constant S)` choices left to the caller (the term holds the sort's default there).
    pub free_consts: usize,
}

/// Renormalises log-probabilities over the allowed tokens.
fn masked(logp: &[f32], allowed: &[u32]) -> Vec<(u32, f32)> {
    let max = allowed.iter().map(|t| logp[*t as usize]).fold(f32::NEG_INFINITY, f32::max);
    let z: f32 = allowed.iter().map(|t| (logp[*t as usize] - max).exp()).sum();
    let lz = max + z.ln();
    allowed.iter().map(|t| (*t, logp[*t as usize] - lz)).collect()
}

fn finish(dec: &GrammarDecoder, st: &DecodeState, logp: f32, out: &mut Vec<Proposal>) {
    for f in dec.finish(st) {
        out.push(Proposal { term: f.term, tokens: st.tokens.clone(), logp, free_consts: f.free_consts });
    }
}

/// Beam search of the given width; returns the finished programs, best first.
pub fn beam_search(
    model: &Model,
    enc: &Encoded,
    dec: &GrammarDecoder,
    width: usize,
) -> Result<Vec<Proposal>, InferError> {
    beam_search_until(model, enc, dec, width, None)
}

/// Beam search that stops at `deadline` with the programs finished by then. An ambiguous grammar
/// can finish many terms from one state, so at most `8 * width` programs are kept.
pub fn beam_search_until(
    model: &Model,
    enc: &Encoded,
    dec: &GrammarDecoder,
    width: usize,
    deadline: Option<Instant>,
) -> Result<Vec<Proposal>, InferError> {
    let mut beams: Vec<(DecodeState, f32)> = vec![(dec.start(), 0.0)];
    let mut done: Vec<Proposal> = Vec::new();
    let max = model.max_program_tokens();
    let late = || deadline.is_some_and(|d| Instant::now() >= d);
    for _ in 0..=max {
        if beams.is_empty() || late() || done.len() >= 8 * width {
            break;
        }
        let prefixes: Vec<&[u32]> = beams.iter().map(|(s, _)| s.tokens.as_slice()).collect();
        let logps = model.next_token_logprobs(enc, &prefixes)?;
        let mut next: Vec<(DecodeState, f32)> = Vec::new();
        let mut cands: Vec<(usize, u32, f32)> = Vec::new();
        for (i, ((st, score), lp)) in beams.iter().zip(&logps).enumerate() {
            if late() {
                break;
            }
            let allowed = dec.allowed(st);
            for (tok, l) in masked(lp, &allowed) {
                cands.push((i, tok, score + l));
            }
        }
        cands.sort_by(|a, b| b.2.total_cmp(&a.2));
        for (i, tok, score) in cands {
            if next.len() >= width {
                break;
            }
            let st = &beams[i].0;
            if tok == EOS {
                finish(dec, st, score, &mut done);
            } else if let Some(n) = dec.advance(st, tok) {
                next.push((n, score));
            }
        }
        beams = next;
    }
    done.sort_by(|a, b| b.logp.total_cmp(&a.logp));
    done.truncate(8 * width);
    Ok(done)
}

/// Draws `n` programs (decoded together as one batch) at the given temperature.
pub fn sample(
    model: &Model,
    enc: &Encoded,
    dec: &GrammarDecoder,
    n: usize,
    temperature: f32,
    rng: &mut Rng,
) -> Result<Vec<Proposal>, InferError> {
    let mut live: Vec<(DecodeState, f32)> = (0..n).map(|_| (dec.start(), 0.0)).collect();
    let mut done = Vec::new();
    let max = model.max_program_tokens();
    for _ in 0..=max {
        if live.is_empty() {
            break;
        }
        let prefixes: Vec<&[u32]> = live.iter().map(|(s, _)| s.tokens.as_slice()).collect();
        let logps = model.next_token_logprobs(enc, &prefixes)?;
        let mut next = Vec::new();
        for ((st, score), lp) in live.iter().zip(&logps) {
            let allowed = dec.allowed(st);
            if allowed.is_empty() {
                continue;
            }
            let scaled: Vec<f32> = lp.iter().map(|l| l / temperature.max(1e-3)).collect();
            let dist = masked(&scaled, &allowed);
            let mut u = rng.unit() as f32;
            let mut pick = dist[dist.len() - 1].0;
            for (tok, l) in &dist {
                u -= l.exp();
                if u <= 0.0 {
                    pick = *tok;
                    break;
                }
            }
            let score = score + masked(lp, &allowed).iter().find(|(t, _)| *t == pick).map_or(0.0, |x| x.1);
            if pick == EOS {
                finish(dec, st, score, &mut done);
            } else if let Some(s) = dec.advance(st, pick) {
                next.push((s, score));
            }
        }
        live = next;
    }
    Ok(done)
}
