#!/usr/bin/env python3
"""A webhook receiver that verifies Standard Webhooks signatures and prints
each event as one JSON line. Standard library only.

    python3 receiver.py --secret whsec_... [--port 8099] [--host 127.0.0.1]
    WEBHOOK_SECRET=whsec_... python3 receiver.py
    python3 receiver.py --self-test

Give --secret twice while a secret is being rotated: a delivery signed with
either is accepted. Deliveries are retried, so the same `webhook-id` may come
more than once: it is answered 200 and not printed again. A receiver that
misses events catches up from the changes feed (see mirror.py), which is the
record of truth; webhooks only say when to look.
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET_PREFIX = "whsec_"
MAX_BODY = 1024 * 1024
# Enough to recognise retries of recent deliveries without growing forever.
MAX_SEEN = 100_000

# The Standard Webhooks specification's reference test vector.
TEST_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
TEST_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TEST_TIMESTAMP = "1614265330"
TEST_BODY = b'{"test": 2432232314}'
TEST_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def key_of(secret):
    """The HMAC key of a `whsec_<base64>` secret; ValueError if it is not one."""
    encoded = secret.strip()
    if encoded.startswith(SECRET_PREFIX):
        encoded = encoded[len(SECRET_PREFIX):]
    try:
        key = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        key = b""
    if not key:
        raise ValueError(f"not a webhook secret (expected {SECRET_PREFIX}<base64>)")
    return key


def sign(key, msg_id, timestamp, body):
    """The `v1,<base64>` signature of one delivery. `body` is the raw bytes:
    signing exactly what arrived means nothing is lost to re-encoding."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_matches(keys, msg_id, timestamp, body, header):
    """Whether any `v1,` signature in the space-separated header was made
    with any of the keys (more than one during a rotation)."""
    offered = []
    for entry in header.split():
        version, _, encoded = entry.partition(",")
        if version != "v1":
            continue  # Other schemes (such as v1a) are not ours to check.
        try:
            offered.append(base64.b64decode(encoded, validate=True))
        except binascii.Error:
            continue
    for key in keys:
        expected = base64.b64decode(sign(key, msg_id, timestamp, body)[3:])
        # Constant-time, so the time taken says nothing about how close a guess is.
        if any(hmac.compare_digest(expected, candidate) for candidate in offered):
            return True
    return False


class SeenIds:
    """The webhook-ids already printed, oldest forgotten first."""

    def __init__(self, limit=MAX_SEEN):
        self.ids = OrderedDict()
        self.limit = limit
        self.lock = threading.Lock()

    def first_time(self, msg_id, on_first):
        """Run `on_first` unless `msg_id` was seen; remember it only once
        `on_first` succeeded, so a failed delivery can be retried."""
        # One lock around check, print and record: two concurrent retries of
        # the same delivery must not both print.
        with self.lock:
            if msg_id in self.ids:
                return False
            on_first()
            self.ids[msg_id] = None
            if len(self.ids) > self.limit:
                self.ids.popitem(last=False)
            return True


def make_handler(keys, tolerance, seen):
    class Handler(BaseHTTPRequestHandler):
        server_version = "osce-api-webhook-receiver-example/1"

        def answer(self, status, payload=None):
            body = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            if body:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def reject(self, status, code, message):
            self.answer(status, {"error": {"code": code, "message": message}})

        def do_POST(self):
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                return self.reject(411, "length_required", "Content-Length is required")
            if length < 0 or length > MAX_BODY:
                return self.reject(413, "too_large", f"bodies are limited to {MAX_BODY} bytes")
            body = self.rfile.read(length)

            msg_id = self.headers.get("webhook-id", "")
            timestamp = self.headers.get("webhook-timestamp", "")
            signature = self.headers.get("webhook-signature", "")
            if not (msg_id and timestamp and signature):
                return self.reject(400, "missing_headers",
                                   "webhook-id, webhook-timestamp and webhook-signature are required")
            try:
                sent_at = int(timestamp)
            except ValueError:
                return self.reject(400, "bad_timestamp", "webhook-timestamp is not unix seconds")
            # An old (or future) timestamp is a replayed or forged delivery:
            # the signature covers the timestamp, so it cannot be refreshed.
            if tolerance > 0 and abs(time.time() - sent_at) > tolerance:
                return self.reject(401, "stale_timestamp", "webhook-timestamp is too far from now")
            if not signature_matches(keys, msg_id, timestamp, body, signature):
                return self.reject(401, "bad_signature", "no valid signature")

            try:
                event = json.loads(body.decode("utf-8"))
                if not isinstance(event, dict):
                    raise ValueError("not an object")
            except ValueError:
                return self.reject(400, "bad_body", "the body is not a JSON object")

            def emit():
                line = {"webhook_id": msg_id, "type": event.get("type"), "data": event.get("data")}
                print(json.dumps(line, ensure_ascii=False), flush=True)

            if seen.first_time(msg_id, emit):
                self.answer(204)
            else:
                # Already handled: say so, so the sender stops retrying.
                self.answer(200, {"duplicate": True})

        def do_GET(self):
            self.send_response(405)
            self.send_header("Allow", "POST")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_PATCH = do_DELETE = do_GET

    return Handler


def self_test():
    key = key_of(TEST_SECRET)
    computed = sign(key, TEST_ID, TEST_TIMESTAMP, TEST_BODY)
    checks = {
        "signature": computed == TEST_SIGNATURE,
        # Verification finds the good signature among others (as in a rotation).
        "verify": signature_matches([key], TEST_ID, TEST_TIMESTAMP, TEST_BODY,
                                    "v1,AAAA v1a,xyz " + TEST_SIGNATURE),
        "tampered body": not signature_matches([key], TEST_ID, TEST_TIMESTAMP,
                                               TEST_BODY + b" ", TEST_SIGNATURE),
        "other id": not signature_matches([key], "msg_other", TEST_TIMESTAMP,
                                          TEST_BODY, TEST_SIGNATURE),
    }
    failed = [name for name, passed in checks.items() if not passed]
    if failed:
        print(f"FAILED: {', '.join(failed)} (computed {computed})", file=sys.stderr)
        return 1
    print("ok")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secret", action="append", default=[],
                        help="whsec_... (repeat while rotating; also read from WEBHOOK_SECRET)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--tolerance", type=int, default=300,
                        help="seconds a webhook-timestamp may be off from now (0: no check)")
    parser.add_argument("--self-test", action="store_true",
                        help="check the Standard Webhooks test vector and exit")
    args = parser.parse_args()
    if args.self_test:
        sys.exit(self_test())

    secrets = list(args.secret)
    if os.environ.get("WEBHOOK_SECRET"):
        secrets.extend(os.environ["WEBHOOK_SECRET"].split())
    if not secrets:
        parser.error("give --secret whsec_... or set WEBHOOK_SECRET")
    try:
        keys = [key_of(secret) for secret in secrets]
    except ValueError as error:
        parser.error(str(error))

    server = ThreadingHTTPServer((args.host, args.port),
                                 make_handler(keys, args.tolerance, SeenIds()))
    print(f"listening on http://{args.host}:{args.port}/ with {len(keys)} secret(s)",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
