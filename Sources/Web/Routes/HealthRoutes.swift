import Foundation
import Hummingbird
import Prometheus
import Storage

/// `GET /healthz` for load balancers (200 only when the database answers) and `GET /metrics` for Prometheus.
struct HealthRoutes {
    let database: Database

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            let up = await database.isReachable(timeout: .seconds(2))
            let body = up ? #"{"status":"ok","database":"up"}"# : #"{"status":"unavailable","database":"down"}"#
            return Response(
                status: up ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: body + "\n"))
            )
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: AppMetrics.registry.emitToBuffer()))
            )
        }
    }
}
