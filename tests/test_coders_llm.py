"""The LLM coder against a tiny OpenAI-compatible server started here (127.0.0.1, random port)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from _coder_fixtures import codebook, seg
from qualcode.coders import get_coder
from qualcode.coders.llm import codebook_block, parse_reply
from qualcode.errors import CoderError, ConfigError


class _Handler(BaseHTTPRequestHandler):
    requests: list[dict] = []
    reply = ""

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body})
        content = type(self).reply
        out = json.dumps({"id": "x", "object": "chat.completion",
                          "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(out.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.requests = []
    _Handler.reply = json.dumps({"codes": [
        {"code": "JOBS", "applies": True, "confidence": 0.9, "rationale": "says analysts will be replaced"},
        {"code": "DATA", "applies": False, "confidence": 0.1, "rationale": ""},
        {"code": "NOT_A_CODE", "applies": True, "confidence": 1}]})
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def test_llm_coder_codes_with_rationales_and_caches_by_content(server, tmp_path):
    cb = codebook()
    coder = get_coder("llm", base_url=server, model="tiny", cache=str(tmp_path / "llm.sqlite"))
    s = seg("Analysts will be replaced.", question="Do you worry about your job?")
    props = {p.code_id: p for p in coder.code([s], cb)[0]}
    assert set(props) == {"JOBS", "DATA"}  # unknown codes in the reply are ignored
    assert props["JOBS"].applied and props["JOBS"].confidence == 0.9
    assert props["JOBS"].evidence == ["language model: says analysts will be replaced"]
    assert not props["DATA"].applied
    sent = _Handler.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["body"]["model"] == "tiny"
    prompt = sent["body"]["messages"][0]["content"]
    assert "Do you worry about your job?" in prompt and "Analysts will be replaced." in prompt
    assert "Jobs or roles being replaced by machines" in prompt  # the definition, from the codebook
    # same content again: answered from the cache, the server is not asked
    again = get_coder("llm", base_url=server, model="tiny", cache=str(tmp_path / "llm.sqlite"))
    again.code([s], cb)
    assert len(_Handler.requests) == 1
    again.code([seg("Another answer.")], cb)
    assert len(_Handler.requests) == 2


def test_unreachable_server_says_how_to_fix_it():
    coder = get_coder("llm", base_url="http://127.0.0.1:9/v1", cache=False, timeout=2)
    with pytest.raises(CoderError, match=r"cannot reach the LLM server at http://127.0.0.1:9/v1 .*ollama serve"):
        coder.code([seg("text")], codebook())


def test_unreadable_reply_is_not_cached(server, tmp_path):
    _Handler.reply = "Sorry, I cannot help with that."
    coder = get_coder("llm", base_url=server, cache=str(tmp_path / "c.sqlite"))
    with pytest.raises(CoderError, match="not the JSON the prompt asks for"):
        coder.code([seg("text")], codebook())
    assert coder._cached("anything") is None


def test_unreadable_reply_can_be_skipped_and_is_listed(server, tmp_path):
    # a small local model often breaks the JSON: with unreadable='skip' the run goes on, the
    # segment has no proposal (not a "no"), and its id is listed for the caller to report
    _Handler.reply = '{"code": "JOBS", "applies": true, "rationale": "It is designed to help'
    coder = get_coder("llm", base_url=server, cache=str(tmp_path / "c.sqlite"), unreadable="skip")
    out = coder.code([seg("text", sid="s1"), seg("other", sid="s2")], codebook())
    assert out == [[], []]
    assert coder.unreadable_ids == ["s1", "s2"]
    with pytest.raises(CoderError, match="use 'fail'"):
        get_coder("llm", base_url=server, cache=False, unreadable="ignore")


def test_reply_parsing_tolerates_code_fences_and_clamps_confidence():
    cb = codebook()
    r = parse_reply('```json\n{"codes": [{"code": "DATA", "applies": "yes", "confidence": 7}]}\n```', cb)
    assert r == {"DATA": (True, 1.0, "")}


def test_prompt_lists_every_code_from_the_yaml():
    block = codebook_block(codebook(), "en")
    assert "- JOBS: Threat to jobs" in block and "- DATA: Data security" in block
    assert "Not this code: It makes my job faster and easier." in block


def test_coder_options_are_checked_by_signature_and_errors_inside_pass_through(monkeypatch):
    # issue 10: get_coder used to turn any TypeError raised inside a coder into "does not take
    # these options", hiding the cause
    import qualcode.coders as coders

    with pytest.raises(ConfigError, match=r"coder 'llm' has no option 'modle'; its options: base_url, model"):
        get_coder("llm", modle="tiny")

    class Broken:
        def __init__(self, size: int = 1):
            raise TypeError("a bug inside the coder")

    monkeypatch.setitem(coders._REGISTRY, "broken", lambda: Broken)
    with pytest.raises(TypeError, match="a bug inside the coder"):
        get_coder("broken", size=2)
