//! The GGUF-embedded tokenizers of both installed models (metadata only; no weights are loaded).

mod common;

use quill_llm::{TokenKind, Tokenizer};

const SAMPLES: &[&str] = &[
    "def add(a, b):\n    return a + b\n",
    "Hello, world! It's 2024; don't panic.",
    "  leading spaces,\ttabs\r\nand CRLF\n\n\n",
    "unicode: é, ü, 中文, emoji 🦀, math ∀x∃y",
    "x=12345678901234567890",
    "(str.++ (str.at s 0) \" \" name)",
    "<|im_start|> written as text <|im_end|>",
    "",
];

/// Both tokenizers, built once for the whole file (building Qwen's 151,936-token vocabulary takes a while
/// in a debug build).
fn both() -> &'static [(&'static str, Tokenizer)] {
    static BOTH: std::sync::OnceLock<Vec<(&'static str, Tokenizer)>> = std::sync::OnceLock::new();
    BOTH.get_or_init(|| {
        vec![
            ("smollm", Tokenizer::from_file(&common::smollm()).expect("smollm tokenizer")),
            ("qwen", Tokenizer::from_file(&common::qwen()).expect("qwen tokenizer")),
        ]
    })
}

#[test]
fn encode_decode_round_trips() {
    for (name, tok) in both() {
        let name = *name;
        for s in SAMPLES {
            for special in [false, true] {
                let ids = tok.encode(s, special).unwrap();
                assert_eq!(tok.decode(&ids), *s, "{name}, parse_special={special}: {ids:?}");
            }
        }
    }
}

#[test]
fn special_tokens_are_single_ids_only_when_parsed() {
    for (name, tok) in both() {
        let name = *name;
        let start = tok.token_id("<|im_start|>").unwrap();
        let end = tok.token_id("<|im_end|>").unwrap();
        assert_eq!(tok.kind(start), Some(TokenKind::Control), "{name}");
        let ids = tok.encode("<|im_start|>user\nhi<|im_end|>\n", true).unwrap();
        assert_eq!(ids.first(), Some(&start), "{name}: {ids:?}");
        assert_eq!(ids.iter().filter(|&&t| t == end).count(), 1, "{name}: {ids:?}");
        let plain = tok.encode("<|im_start|>user\nhi<|im_end|>\n", false).unwrap();
        assert!(!plain.contains(&start) && !plain.contains(&end), "{name}: {plain:?}");
        assert!(tok.eog_ids().contains(&end), "{name}");
    }
}

#[test]
fn vocabulary_bytes_cover_the_bytes_of_text() {
    for (name, tok) in both() {
        let name = *name;
        let bytes = tok.token_bytes();
        assert_eq!(bytes.len(), tok.vocab_size());
        let missing: Vec<u8> = (0u8..=255).filter(|&b| !bytes.iter().any(|t| t.as_slice() == [b])).collect();
        let space = tok.encode(" ", false).unwrap();
        assert_eq!(space.len(), 1);
        assert_eq!(tok.bytes_of(space[0]), b" ", "{name}");
        match name {
            // Qwen2 has a token for every byte, so any byte string can be spelled.
            "qwen" => assert!(missing.is_empty(), "{missing:?}"),
            // SmolLM2 lacks bytes that never occur in UTF-8 and six control characters; those characters
            // encode as its unknown token (id 0), as with the upstream tokenizer.
            _ => {
                assert_eq!(missing.iter().filter(|&&b| b < 0x80).count(), 6, "{missing:?}");
                assert_eq!(tok.encode("a\u{4}b", false).unwrap()[1], 0);
            }
        }
    }
}

/// Token ids from llama.cpp's tokenizer (llama-tokenize, built from the llama.cpp sources vendored in
/// PyPI's llama-cpp-python 0.3.36) for the same GGUF files; see tests/data/tokenizer_reference.json.
#[test]
fn ids_match_llama_cpp() {
    let data: serde_json::Value =
        serde_json::from_str(include_str!("data/tokenizer_reference.json")).expect("reference json");
    let cases = data["cases"].as_array().expect("cases");
    assert!(cases.len() >= 10);
    for case in cases {
        let model = case["model"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let want: Vec<u32> =
            case["ids"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
        let tok = &both().iter().find(|(name, _)| *name == model).expect("model").1;
        assert_eq!(tok.encode(text, true).unwrap(), want, "{model}: {text:?}");
    }
}
