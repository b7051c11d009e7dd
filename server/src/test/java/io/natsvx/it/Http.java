package io.natsvx.it;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny blocking HTTP client for monitoring endpoints. */
final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(10)).GET().build();
    return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject json(int port, String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(port, pathAndQuery);
    if (r.statusCode() != 200) {
      throw new AssertionError(pathAndQuery + " -> " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }
}
