import Foundation
import Testing
@testable import Inference

@Suite("Remote server-sent events")
struct RemoteServerSentEventTests {
    @Test func eventsSurviveAnySplitOfTheBytes() {
        let raw = Array(": keep-alive\r\ndata: {\"a\":\"é\"}\r\n\r\nevent: x\ndata: line1\ndata: line2\nid: 7\n\ndata: [DONE]\n\n".utf8)
        for cut in 0...raw.count {
            var p = ServerSentEventParser()
            let events = p.push(raw[..<cut]) + p.push(raw[cut...])
            #expect(events == [
                ServerSentEvent(event: nil, data: "{\"a\":\"é\"}", id: nil),
                ServerSentEvent(event: "x", data: "line1\nline2", id: "7"),
                ServerSentEvent(event: nil, data: "[DONE]", id: "7"),
            ])
        }
    }

    @Test func aFinalEventWithoutItsBlankLineIsKept() {
        var p = ServerSentEventParser()
        #expect(p.push(Array("data: last".utf8)).isEmpty)
        #expect(p.finish()?.data == "last")
    }

    @Test func requestsCarryOnlyTheParametersThatAreSet() throws {
        let body = OpenAIProtocol.Request(model: "m", input: .chat([.user("hi")]), parameters: SamplingPreset.k50.parameters, seed: 5)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(body)) as! [String: Any]
        #expect(json["top_k"] as? Int == 50)
        #expect(json["repeat_penalty"] as? Double == 1.2)
        #expect(json["stream"] as? Bool == true)
        #expect(json["min_p"] as? Double == 0)  // sent even when off: llama.cpp's server defaults to 0.05
        #expect(json["typical_p"] == nil)
        #expect((json["messages"] as? [[String: String]])?.first?["role"] == "user")
    }
}

/// The remote backend against a real HTTP server: a small OpenAI-compatible stand-in written with
/// Python's standard library (it streams a fixed reply), and llama.cpp's own server when available.
@Suite("Remote backend", .serialized)
struct RemoteBackendTests {
    static let fakeServer = #"""
    import json, signal, sys
    signal.pthread_sigmask(signal.SIG_SETMASK, [])  # the test runner's threads block signals; children inherit that
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a): pass
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if body.get("model") == "busy":
                data = b'{"error": {"message": "queue full"}}'
                self.send_response(503); self.send_header("Content-Length", str(len(data))); self.end_headers()
                self.wfile.write(data); return
            if body.get("model") == "broken":
                data = b'{"error": {"message": "model not found"}}'
                self.send_response(404); self.send_header("Content-Length", str(len(data))); self.end_headers()
                self.wfile.write(data); return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            def send(s):
                b = s.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b)); self.wfile.flush()
            chat = self.path == "/v1/chat/completions"
            echo = body["messages"][-1]["content"] if chat else body["prompt"]
            pieces = ["Hel", "lo", " wor", "ld", " (", echo, ")"]
            for p in pieces:
                choice = {"index": 0, "delta": {"content": p}} if chat else {"index": 0, "text": p}
                send("data: " + json.dumps({"choices": [choice]}) + "\n\n")
            last = {"index": 0, "delta": {}, "finish_reason": "stop"} if chat else {"index": 0, "text": "", "finish_reason": "length"}
            send("data: " + json.dumps({"choices": [last]}) + "\r\n\r\n")
            send("data: " + json.dumps({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": len(pieces)}}) + "\n\n")
            send("data: [DONE]\n\n")
            send("")
    s = ThreadingHTTPServer(("127.0.0.1", 0), H)
    print(s.server_address[1], flush=True)
    s.serve_forever()
    """#

    /// Ends a server for good: SIGKILL, because the test runner starts children with SIGTERM blocked.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Starts a Python script that prints its port on the first line; returns the process and the port.
    static func startPython(_ executable: String, arguments: [String]) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var line = [UInt8]()
        while true {
            let byte = pipe.fileHandleForReading.readData(ofLength: 1)
            guard let b = byte.first else { break }
            if b == 0x0A { break }
            line.append(b)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)) else {
            stop(process)
            throw GenerationError.remote(status: nil, message: "test server did not start")
        }
        return (process, port)
    }

    @Test func chatStreamsFromAnOpenAICompatibleServer() async throws {
        let (server, port) = try Self.startPython("/usr/bin/python3", arguments: ["-c", Self.fakeServer])
        defer { Self.stop(server) }
        let remote = RemoteGenerator(baseURL: "http://127.0.0.1:\(port)/v1/", model: "test")
        let result = try await collect(remote.generate(.chat([.user("ping")], parameters: .init(seed: 3))))
        #expect(result.text == "Hello world (ping)")
        #expect(result.reason == .stop)
        #expect(result.usage?.promptTokens == 9)
        #expect(result.usage?.completionTokens == 7)
        #expect(result.events.first == .started(promptTokens: 0, seed: 3))
        let tokens = result.events.filter { if case .token = $0 { return true } else { return false } }
        #expect(tokens.count == 7)

        let completion = try await collect(remote.generate(.text("pong", parameters: .init(maxNewTokens: 7))))
        #expect(completion.text == "Hello world (pong)")
        #expect(completion.reason == .length)
    }

    @Test func stopSequencesAreHeldBackEvenWhenTheServerIgnoresThem() async throws {
        let (server, port) = try Self.startPython("/usr/bin/python3", arguments: ["-c", Self.fakeServer])
        defer { Self.stop(server) }
        let remote = RemoteGenerator(baseURL: "http://127.0.0.1:\(port)", model: "test")
        let result = try await collect(remote.generate(.chat([.user("x")], parameters: .init(stop: ["world"]))))
        #expect(result.text == "Hello ")
        #expect(result.reason == .stop)
    }

    @Test func serverErrorsBecomeClearErrors() async throws {
        let (server, port) = try Self.startPython("/usr/bin/python3", arguments: ["-c", Self.fakeServer])
        defer { Self.stop(server) }
        await #expect(throws: GenerationError.busy(queued: 0)) {
            _ = try await collect(RemoteGenerator(baseURL: "http://127.0.0.1:\(port)", model: "busy").generate(.chat([.user("x")])))
        }
        await #expect(throws: GenerationError.remote(status: 404, message: "model not found")) {
            _ = try await collect(RemoteGenerator(baseURL: "http://127.0.0.1:\(port)", model: "broken").generate(.chat([.user("x")])))
        }
        // Nobody listens on the port once the server is gone.
        Self.stop(server)
        await #expect(throws: GenerationError.self) {
            _ = try await collect(RemoteGenerator(baseURL: "http://127.0.0.1:\(port)", model: "x").generate(.chat([.user("x")])))
        }
    }

    /// A Python with llama.cpp's OpenAI-compatible server (`llama-cpp-python[server]`), if installed:
    /// `OASST_LLAMA_SERVER_PYTHON`, else the benchmark's venv.
    static let llamaServerPython: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates: [String?] = [ProcessInfo.processInfo.environment["OASST_LLAMA_SERVER_PYTHON"], root.appendingPathComponent(".data/bench-venv/bin/python").path]
        for case let c? in candidates where FileManager.default.isExecutableFile(atPath: c) {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: c)
            probe.arguments = ["-c", "import llama_cpp.server.app, uvicorn"]
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { continue }
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return c }
        }
        return nil
    }()

    @Test(.enabled(if: llamaServerPython != nil, "needs llama-cpp-python[server] (scripts/bench installs it)"))
    func chatStreamsFromLlamaCppsServer() async throws {
        let python = try #require(Self.llamaServerPython)
        // Bind to a free port chosen by the kernel, then hand the socket's port to the server.
        let launcher = """
        import ctypes, signal, socket, sys, subprocess, time, urllib.request
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        # The server dies with this launcher, which the test ends with SIGKILL.
        die_with_parent = lambda: ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        p = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", sys.argv[1], "--port", str(port),
                              "--host", "127.0.0.1", "--n_ctx", "512", "--n_threads", "2", "--verbose", "False"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
        for _ in range(600):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/v1/models" % port, timeout=1); break
            except Exception:
                time.sleep(0.1)
        print(port, flush=True)
        p.wait()
        """
        let (server, port) = try Self.startPython(python, arguments: ["-c", launcher, EngineTestModel.path])
        defer { Self.stop(server) }
        let remote = RemoteGenerator(baseURL: "http://127.0.0.1:\(port)", model: "gemma")
        // The base model continues raw text exactly as llama.cpp does: greedy, the reference continuation.
        let result = try await collect(remote.generate(.text("The capital of France is", parameters: .greedy(maxNewTokens: 8))))
        #expect(result.text == " the capital of the country of France.")
        #expect(result.reason == .length)
        #expect(result.usage?.completionTokens == 8)
        let chat = try await collect(remote.generate(.chat([.user("Say hello.")], parameters: .greedy(maxNewTokens: 8))))
        #expect(chat.reason != nil)
    }
}
