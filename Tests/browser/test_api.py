"""The OpenAI-compatible API through the official `openai` Python client."""
import os
import subprocess
import uuid

import openai
import pytest


@pytest.fixture(scope="module")
def api_key():
    email = f"api-{uuid.uuid4().hex[:8]}@example.org"
    output = subprocess.run([os.environ["OASST_BIN"], "user", "api-key", "--email", email],
                            check=True, capture_output=True, text=True).stdout
    return output.split()[-1]


def client(base_url, key):
    return openai.OpenAI(base_url=base_url + "/v1", api_key=key, max_retries=0, timeout=120)


def test_models_and_completion(base_url, api_key):
    api = client(base_url, api_key)
    models = [m.id for m in api.models.list()]
    assert len(models) == 1
    completion = api.chat.completions.create(
        model=models[0], max_tokens=16, seed=7, temperature=0.7,
        messages=[{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Name three colours."}],
    )
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content
    assert completion.choices[0].finish_reason in ("stop", "length")
    assert 0 < completion.usage.completion_tokens <= 16


def test_a_reply_is_never_empty(base_url, api_key):
    # With these seeds the default model ends its turn before its first word; the server asks it again.
    api = client(base_url, api_key)
    model = api.models.list().data[0].id
    for seed in (20, 29):
        completion = api.chat.completions.create(
            model=model, max_tokens=48, seed=seed, temperature=0.8, extra_body={"top_k": 40},
            messages=[{"role": "user", "content": "Prompt number 3: name a colour."}],
        )
        assert completion.choices[0].message.content.strip(), f"seed {seed}"


def test_streamed_completion(base_url, api_key):
    api = client(base_url, api_key)
    model = api.models.list().data[0].id
    chunks = list(api.chat.completions.create(
        model=model, max_tokens=16, stream=True, messages=[{"role": "user", "content": "Count from one to ten."}],
    ))
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert len([c for c in chunks if c.choices[0].delta.content]) >= 2
    assert text
    assert chunks[-1].choices[0].finish_reason in ("stop", "length")


def test_bad_key_and_unknown_model(base_url, api_key):
    with pytest.raises(openai.AuthenticationError):
        client(base_url, "oasst-not-a-key").chat.completions.create(model="x", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.NotFoundError):
        client(base_url, api_key).chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.BadRequestError):
        client(base_url, api_key).chat.completions.create(
            model=client(base_url, api_key).models.list().data[0].id, messages=[{"role": "assistant", "content": "hi"}])
