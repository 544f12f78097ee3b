//! The verification loop over the OpenAI-compatible HTTP backend, against a scripted server on
//! loopback. This tests the protocol and the loop (a failing proposal, the repair prompt with the
//! failing test and its actual value, the verified repair), not a model: real inference is tested
//! with SmolLM2 in quill-llm and quill-constrain.

use quill_ask::{ask, Effort, HttpBackend, Request, Status};
use quill_sandbox::{Limits, Sandbox};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// Serves one reply per request, in order, and returns the request bodies it saw.
fn serve(replies: Vec<&'static str>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut bodies = Vec::new();
        for reply in replies {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                if line == "\r\n" || line.is_empty() {
                    break;
                }
            }
            let mut body = vec![0u8; length];
            reader.read_exact(&mut body).unwrap();
            bodies.push(String::from_utf8(body).unwrap());
            let json = serde_json::json!({
                "choices": [{"message": {"role": "assistant", "content": reply}}],
                "usage": {"completion_tokens": 12}
            })
            .to_string();
            let mut out = stream;
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                json.len()
            )
            .unwrap();
        }
        bodies
    });
    (base, handle)
}

#[test]
fn a_failing_proposal_is_repaired_from_the_failing_test() {
    let (base, server) = serve(vec![
        "```python\ndef double(x):\n    return x + 2\n```",
        "```python\ndef double(x):\n    return 2 * x\n```",
    ]);
    let mut backend = HttpBackend::new(&base, "scripted", Duration::from_secs(30));
    let sandbox = Sandbox::new(Limits::default()).unwrap();
    let request = Request {
        description: "Double a number.".into(),
        tests: vec!["assert double(2) == 4".into(), "assert double(5) == 10".into()],
        signature: None,
        preamble: String::new(),
    };
    let effort = Effort { samples: 1, repairs: 1, ..Effort::default() };
    let answer = ask(&mut backend, &sandbox, &request, &effort).unwrap();
    assert_eq!(answer.status, Status::Verified, "{answer:?}");
    assert!(answer.code.contains("2 * x"), "{}", answer.code);
    assert_eq!(answer.attempts.len(), 2);
    let bodies = server.join().unwrap();
    // The repair request carries the failing test and the value the proposal gave (7 for 5 + 2).
    assert!(bodies[1].contains("double(5) == 10") && bodies[1].contains('7'), "{}", bodies[1]);
}
