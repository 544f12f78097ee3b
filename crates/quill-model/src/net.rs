//! The network: a character-level transformer encoder over the examples and a transformer decoder
//! over program tokens, plus the production head.

use burn::module::Module;
use burn::nn::transformer::{
    TransformerDecoder, TransformerDecoderConfig, TransformerDecoderInput, TransformerEncoder,
    TransformerEncoderConfig, TransformerEncoderInput,
};
use burn::nn::{Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::activation::{log_sigmoid, log_softmax};
use burn::tensor::{Bool, Device, Int, Tensor, TensorData};
use serde::{Deserialize, Serialize};

/// The hyper-parameters that fix the shape of the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetConfig {
    pub d_model: usize,
    pub n_heads: usize,
    pub d_ff: usize,
    pub enc_layers: usize,
    pub dec_layers: usize,
    /// Characters per rendered example (the START and ARROW marks included).
    pub max_chars: usize,
    /// Examples the encoder reads per task.
    pub max_examples: usize,
    /// Program tokens per sequence, BOS/EOS included.
    pub max_prog: usize,
    pub char_vocab: usize,
    pub prog_vocab: usize,
    pub dropout: f64,
}

impl NetConfig {
    /// The default shape: d=128, 2+2 layers (about 1M parameters), sized so that a full training
    /// run fits in a few hours on two CPU cores.
    pub fn standard(char_vocab: usize, prog_vocab: usize) -> NetConfig {
        NetConfig {
            d_model: 128,
            n_heads: 4,
            d_ff: 512,
            enc_layers: 2,
            dec_layers: 2,
            max_chars: 48,
            max_examples: 4,
            max_prog: 32,
            char_vocab,
            prog_vocab,
            dropout: 0.1,
        }
    }

    pub fn init(&self, device: &Device) -> Net {
        let d = self.d_model;
        Net {
            char_emb: EmbeddingConfig::new(self.char_vocab, d).init(device),
            char_pos: EmbeddingConfig::new(self.max_chars, d).init(device),
            example_emb: EmbeddingConfig::new(self.max_examples, d).init(device),
            encoder: TransformerEncoderConfig::new(d, self.d_ff, self.n_heads, self.enc_layers)
                .with_norm_first(true)
                .with_dropout(self.dropout)
                .init(device),
            enc_norm: LayerNormConfig::new(d).init(device),
            tok_emb: EmbeddingConfig::new(self.prog_vocab, d).init(device),
            tok_pos: EmbeddingConfig::new(self.max_prog, d).init(device),
            decoder: TransformerDecoderConfig::new(d, self.d_ff, self.n_heads, self.dec_layers)
                .with_norm_first(true)
                .with_dropout(self.dropout)
                .init(device),
            dec_norm: LayerNormConfig::new(d).init(device),
            out: LinearConfig::new(d, self.prog_vocab).init(device),
            prod_head: LinearConfig::new(d, self.prog_vocab).init(device),
        }
    }
}

#[derive(Module, Debug)]
pub struct Net {
    char_emb: Embedding,
    char_pos: Embedding,
    example_emb: Embedding,
    encoder: TransformerEncoder,
    enc_norm: LayerNorm,
    tok_emb: Embedding,
    tok_pos: Embedding,
    decoder: TransformerDecoder,
    dec_norm: LayerNorm,
    out: Linear,
    prod_head: Linear,
}

/// A batch of specifications on the host: `b` tasks of `k` example rows of `l` characters.
#[derive(Clone, Debug)]
pub struct SpecBatch {
    pub b: usize,
    pub k: usize,
    pub l: usize,
    /// `b * k * l` character ids, PAD where nothing is.
    pub chars: Vec<i64>,
    /// `b * k`: whether the example row holds a real example.
    pub present: Vec<bool>,
}

impl SpecBatch {
    /// Builds a batch from each task's rendered examples (at most `k` used per task).
    pub fn new(tasks: &[Vec<&[u8]>], k: usize) -> SpecBatch {
        let b = tasks.len();
        let l = tasks.iter().flat_map(|t| t.iter().take(k).map(|e| e.len())).max().unwrap_or(1).max(1);
        let mut chars = vec![crate::vocab::chars::PAD as i64; b * k * l];
        let mut present = vec![false; b * k];
        for (i, t) in tasks.iter().enumerate() {
            for (j, ex) in t.iter().take(k).enumerate() {
                present[i * k + j] = true;
                let row = (i * k + j) * l;
                for (p, c) in ex.iter().enumerate() {
                    chars[row + p] = *c as i64;
                }
            }
            // A row with no example still starts with START, so that no encoder row is all padding
            // (attention over nothing is NaN); the decoder ignores such rows through the memory mask.
            for j in t.len().min(k)..k {
                chars[(i * k + j) * l] = crate::vocab::chars::START as i64;
            }
        }
        SpecBatch { b, k, l, chars, present }
    }
}

/// The encoded examples of a batch: the decoder's memory and its padding mask.
#[derive(Clone, Debug)]
pub struct Memory {
    /// `[b, k*l, d]`.
    pub states: Tensor<3>,
    /// `[b, k*l]`, true where the decoder must not look.
    pub mask: Tensor<2, Bool>,
    /// `[b, k*l]`, 1.0 where a real character is (for pooling).
    pub weights: Tensor<2>,
}

impl Net {
    /// Encodes the examples of a batch.
    pub fn encode(&self, spec: &SpecBatch, device: &Device) -> Memory {
        let (b, k, l) = (spec.b, spec.k, spec.l);
        let rows = b * k;
        let chars = Tensor::<2, Int>::from_data(TensorData::new(spec.chars.clone(), [rows, l]), device);
        let pos: Vec<i64> = (0..rows).flat_map(|_| 0..l as i64).collect();
        let pos = Tensor::<2, Int>::from_data(TensorData::new(pos, [rows, l]), device);
        let ex: Vec<i64> = (0..rows).flat_map(|r| std::iter::repeat_n((r % k) as i64, l)).collect();
        let ex = Tensor::<2, Int>::from_data(TensorData::new(ex, [rows, l]), device);
        let pad: Vec<bool> = spec.chars.iter().map(|c| *c == crate::vocab::chars::PAD as i64).collect();
        let pad_mask = Tensor::<2, Bool>::from_data(TensorData::new(pad.clone(), [rows, l]), device);
        let x = self.char_emb.forward(chars) + self.char_pos.forward(pos) + self.example_emb.forward(ex);
        let h = self.encoder.forward(TransformerEncoderInput::new(x).mask_pad(pad_mask));
        let d = h.dims()[2];
        let states = self.enc_norm.forward(h).reshape([b, k * l, d]);
        // Memory positions to hide: padding, and every position of a row without an example.
        let hide: Vec<bool> = pad.iter().enumerate().map(|(i, p)| *p || !spec.present[i / l]).collect();
        let weights: Vec<f32> = hide.iter().map(|h| if *h { 0.0 } else { 1.0 }).collect();
        Memory {
            states,
            mask: Tensor::<2, Bool>::from_data(TensorData::new(hide, [b, k * l]), device),
            weights: Tensor::<2>::from_data(TensorData::new(weights, [b, k * l]), device),
        }
    }

    /// Decoder logits `[b, t, vocab]` for input tokens `[b, t]` (BOS first, PAD after the end).
    pub fn decode(&self, memory: &Memory, tokens: &[i64], b: usize, t: usize, device: &Device) -> Tensor<3> {
        let ids = Tensor::<2, Int>::from_data(TensorData::new(tokens.to_vec(), [b, t]), device);
        let pos: Vec<i64> = (0..b).flat_map(|_| 0..t as i64).collect();
        let pos = Tensor::<2, Int>::from_data(TensorData::new(pos, [b, t]), device);
        let pad: Vec<bool> = tokens.iter().map(|x| *x == crate::vocab::PAD as i64).collect();
        let pad = Tensor::<2, Bool>::from_data(TensorData::new(pad, [b, t]), device);
        let causal = burn::nn::attention::generate_autoregressive_mask(b, t, device);
        let x = self.tok_emb.forward(ids) + self.tok_pos.forward(pos);
        let input = TransformerDecoderInput::new(x, memory.states.clone())
            .target_mask_attn(causal)
            .target_mask_pad(pad)
            .memory_mask_pad(memory.mask.clone());
        let h = self.dec_norm.forward(self.decoder.forward(input));
        self.out.forward(h)
    }

    /// Production-head logits `[b, vocab]` from the mean of the encoded characters.
    pub fn production_logits(&self, memory: &Memory) -> Tensor<2> {
        let w = memory.weights.clone();
        let count = w.clone().sum_dim(1).clamp_min(1.0);
        let pooled = (memory.states.clone() * w.unsqueeze_dim::<3>(2)).sum_dim(1).squeeze_dim::<2>(1) / count;
        self.prod_head.forward(pooled)
    }
}

/// The two losses of a batch and what the metrics need.
pub struct BatchLoss {
    pub loss: Tensor<1>,
    pub token_loss: Tensor<1>,
    pub prod_loss: Tensor<1>,
    pub logits: Tensor<3>,
}

/// Teacher-forced losses: token cross-entropy over non-PAD targets plus the production head's
/// binary cross-entropy (mean over vocabulary entries), weighted by `prod_weight`.
#[allow(clippy::too_many_arguments)]
pub fn batch_loss(
    net: &Net,
    spec: &SpecBatch,
    inputs: &[i64],
    targets: &[i64],
    occurs: &[f32],
    t: usize,
    prod_weight: f32,
    device: &Device,
) -> BatchLoss {
    let b = spec.b;
    let memory = net.encode(spec, device);
    let logits = net.decode(&memory, inputs, b, t, device);
    let v = logits.dims()[2];
    let logp = log_softmax(logits.clone(), 2);
    let tgt = Tensor::<3, Int>::from_data(TensorData::new(targets.to_vec(), [b, t, 1]), device);
    let picked = logp.gather(2, tgt).reshape([b, t]);
    let keep: Vec<f32> =
        targets.iter().map(|x| if *x == crate::vocab::PAD as i64 { 0.0 } else { 1.0 }).collect();
    let n = keep.iter().sum::<f32>().max(1.0);
    let keep = Tensor::<2>::from_data(TensorData::new(keep, [b, t]), device);
    let token_loss = (picked * keep).sum().neg() / n;
    let z = net.production_logits(&memory);
    let y = Tensor::<2>::from_data(TensorData::new(occurs.to_vec(), [b, v]), device);
    let bce = (y.clone() * log_sigmoid(z.clone()) + (y.neg() + 1.0) * log_sigmoid(z.neg())).mean().neg();
    let loss = token_loss.clone() + bce.clone() * prod_weight;
    BatchLoss { loss, token_loss, prod_loss: bce, logits }
}
