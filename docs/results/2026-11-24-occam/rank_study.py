# For every solved task of a `quill bench` run: all candidates `quill synth --top N -v` ranks, with
# the model's log-likelihood, the size, and whether each is right on the held-out examples (z3).
# Usage: python3 rank_study.py SUITE.json[l] RUN_DIR N OUT.jsonl [JOBS]  ($QUILL, $MODEL)
import csv, json, os, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
QUILL = os.environ.get('QUILL', 'target/release/quill'); MODEL = os.environ.get('MODEL', 'models/quill-strings')
suite_json, run_dir, top, out_path = sys.argv[1:5]; jobs = int(sys.argv[5]) if len(sys.argv) > 5 else 2
load = (lambda f: [json.loads(l) for l in open(f)]) if suite_json.endswith('.jsonl') else (lambda f: json.load(open(f)))
tasks = {t['name'].removesuffix('.sl'): t for t in load(suite_json)}
rows = [r for r in csv.DictReader(open(f'{run_dir}/results.csv')) if r['solver'] == 'quill-no-model' and r['status'] == 'solved' and r['holdout_total'] not in ('', '0')]
def lit(s): return '"' + s.replace('"', '""') + '"' if isinstance(s, str) else str(s)
def size(d):
    # Atoms of the body (after the define-fun header): operators, variables and literals.
    return len(re.findall(r'"(?:[^"]|"")*"|[^\s()]+', d.split(') String ', 1)[1] if ') String ' in d else d))
def study(r):
    name = r['task']; sl = f"{run_dir}/tasks/{r['suite']}/{name}.sl"; text = open(sl).read(); t = tasks[name]
    seen = set(re.findall(r'\(constraint \(= \(f (.*)\) (".*")\)\)', text))
    held = [e for e in t.get('testExamples', []) + t['trainExamples'] if (' '.join(lit(x) for x in e['inputs']), lit(e['output'])) not in seen]
    p = subprocess.run([QUILL, 'synth', sl, '--top', top, '--timeout', '10', '-v', '--model', MODEL], capture_output=True, text=True)
    defs = [d for d in p.stdout.split('\n') if d.startswith('(define-fun')]
    scores = [float(m) if m else None for m in re.findall(r'; answer \d+: (?:log-likelihood (\S+)|not scored)', p.stderr)]
    smt = [d.replace('(define-fun f ', f'(define-fun f{i} ', 1) for i, d in enumerate(defs)]
    for i in range(len(defs)):
        conj = ' '.join(f"(= (f{i} {' '.join(lit(x) for x in e['inputs'])}) {lit(e['output'])})" for e in held)
        smt.append(f'(simplify (and {conj} true))')
    res = subprocess.run(['z3', '-in'], input='(set-logic ALL)\n' + '\n'.join(smt), capture_output=True, text=True).stdout.split()
    return {'task': name, 'cands': [{'size': size(d), 'score': s, 'good': v == 'true', 'prog': d} for d, s, v in zip(defs, scores, res)]}
with ThreadPoolExecutor(jobs) as ex, open(out_path, 'w') as out:
    for rec in ex.map(study, rows):
        out.write(json.dumps(rec) + '\n'); out.flush()
        print(rec['task'], len(rec['cands']), sum(c['good'] for c in rec['cands']), flush=True)
