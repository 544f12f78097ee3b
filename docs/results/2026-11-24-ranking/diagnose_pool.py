# For the tasks of a `quill bench` run whose answer fails a held-out example: is any of the
# candidates `quill synth --top N` ranks right on all held-out examples? Candidates are evaluated
# with z3. Usage: python3 diagnose_pool.py SUITE.json[l] RUN_DIR SOLVER N  ($QUILL: the binary).
import csv, json, os, re, subprocess, sys
QUILL = os.environ.get('QUILL', 'target/release/quill')
suite_json, run_dir, solver, top = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
tasks = {t['name'].removesuffix('.sl'): t for t in (json.loads(l) for l in open(suite_json))} if suite_json.endswith('.jsonl') else {t['name'].removesuffix('.sl'): t for t in json.load(open(suite_json))}
rows = [r for r in csv.DictReader(open(f'{run_dir}/results.csv')) if r['solver'] == solver and r['status'] == 'solved' and r['holdout_correct'] != r['holdout_total']]
def lit(s): return '"' + s.replace('"', '""') + '"'
for r in rows:
    name = r['task']; sl = f"{run_dir}/tasks/{r['suite']}/{name}.sl"
    text = open(sl).read()
    t = tasks.get(name)
    if t is None: print(name, 'not in json'); continue
    seen = set(re.findall(r'\(constraint \(= \(f (.*)\) (".*")\)\)', text))
    held = [e for e in t.get('testExamples', []) + t['trainExamples']]
    held = [e for e in held if (' '.join(lit(x) if isinstance(x,str) else str(x) for x in e['inputs']), lit(e['output']) if isinstance(e['output'],str) else str(e['output'])) not in seen]
    out = subprocess.run([QUILL, 'synth', sl, '--top', top, '--timeout', '10'], capture_output=True, text=True).stdout
    defs = [d for d in out.split('\n') if d.startswith('(define-fun')]
    smt = []
    for i, d in enumerate(defs):
        smt.append(d.replace('(define-fun f ', f'(define-fun f{i} ', 1))
    checks = []
    for i in range(len(defs)):
        conj = ' '.join(f"(= (f{i} {' '.join(lit(x) if isinstance(x,str) else str(x) for x in e['inputs'])}) {lit(e['output']) if isinstance(e['output'],str) else e['output']})" for e in held)
        smt.append(f'(simplify (and {conj} true))')
    res = subprocess.run(['z3', '-in'], input='(set-logic ALL)\n' + '\n'.join(smt), capture_output=True, text=True).stdout.split()
    good = [i for i, v in enumerate(res) if v == 'true']
    print(f"{name}: {len(defs)} candidates, held-out {len(held)}, generalizing ranks {good[:5]} ({len(good)})", flush=True)
