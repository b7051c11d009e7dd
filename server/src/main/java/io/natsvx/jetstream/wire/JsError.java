package io.natsvx.jetstream.wire;

import io.vertx.core.json.JsonObject;

/**
 * The JetStream API errors natsvx answers with, with nats-server's HTTP-like code, numeric
 * error code (clients test it) and description (server/errors.json); {@code {err}} is filled
 * in per answer.
 */
public enum JsError {
  ACCOUNT_RESOURCES_EXCEEDED(400, 10002, "resource limits exceeded for account"),
  BAD_REQUEST(400, 10003, "bad request"),
  CLUSTER_NOT_ACTIVE(500, 10006, "JetStream not in clustered mode"),
  CONSUMER_CREATE(500, 10012, "{err}"),
  CONSUMER_NAME_EXIST(400, 10013, "consumer name already in use"),
  CONSUMER_NOT_FOUND(404, 10014, "consumer not found"),
  MAXIMUM_CONSUMERS(400, 10026, "maximum consumers limit reached"),
  CONSUMER_DURABLE_NAME_NOT_IN_SUBJECT(400, 10016, "consumer expected to be durable but no durable name set in subject"),
  CONSUMER_DURABLE_NAME_NOT_MATCH_SUBJECT(400, 10017, "consumer name in subject does not match durable name in request"),
  CONSUMER_DURABLE_NAME_NOT_SET(400, 10018, "consumer expected to be durable but a durable name was not set"),
  CONSUMER_EPHEMERAL_WITH_DURABLE_IN_SUBJECT(400, 10019,
      "consumer expected to be ephemeral but detected a durable name set in subject"),
  CONSUMER_EPHEMERAL_WITH_DURABLE_NAME(400, 10020, "consumer expected to be ephemeral but a durable name was set in request"),
  INSUFFICIENT_RESOURCES(503, 10023, "insufficient resources"),
  INVALID_JSON(400, 10025, "invalid JSON: {err}"),
  MAXIMUM_STREAMS(400, 10027, "maximum number of streams reached"),
  MEMORY_RESOURCES_EXCEEDED(500, 10028, "insufficient memory resources available"),
  MIRROR_CONSUMER_SETUP_FAILED(500, 10029, "{err}"),
  MIRROR_WITH_SOURCES(400, 10031, "stream mirrors can not also contain other sources"),
  MIRROR_WITH_START_SEQ_AND_TIME(400, 10032, "stream mirrors can not have both start seq and start time configured"),
  MIRROR_WITH_SUBJECTS(400, 10034, "stream mirrors can not contain subjects"),
  SOURCE_CONSUMER_SETUP_FAILED(500, 10045, "{err}"),
  SNAPSHOT_DELIVER_SUBJECT_INVALID(400, 10015, "deliver subject not valid"),
  STREAM_RESTORE(500, 10062, "restore failed: {err}"),
  STREAM_SNAPSHOT(500, 10064, "snapshot failed: {err}"),
  STREAM_NAME_EXIST_RESTORE_FAILED(400, 10130, "stream name already in use, cannot restore"),
  STREAM_MIRROR_NOT_UPDATABLE(400, 10055, "stream mirror configuration can not be updated"),
  SOURCE_MULTIPLE_FILTERS(400, 10144, "source with multiple subject transforms cannot also have a single subject filter"),
  NO_MESSAGE_FOUND(404, 10037, "no message found"),
  NOT_ENABLED_FOR_ACCOUNT(503, 10039, "JetStream not enabled for account"),
  STORAGE_RESOURCES_EXCEEDED(500, 10047, "insufficient storage resources available"),
  STREAM_CREATE(500, 10049, "{err}"),
  STREAM_DELETE(500, 10050, "{err}"),
  STREAM_INVALID_CONFIG(500, 10052, "{err}"),
  STREAM_MESSAGE_EXCEEDS_MAXIMUM(400, 10054, "message size exceeds maximum allowed"),
  STREAM_MISMATCH(400, 10056, "stream name in subject does not match request"),
  STREAM_MSG_DELETE_FAILED(500, 10057, "{err}"),
  STREAM_NAME_EXIST(400, 10058, "stream name already in use with a different configuration"),
  STREAM_NOT_FOUND(404, 10059, "stream not found"),
  STREAM_NOT_MATCH(400, 10060, "expected stream does not match"),
  STREAM_SUBJECT_OVERLAP(400, 10065, "subjects overlap with an existing stream"),
  STREAM_UPDATE(500, 10069, "{err}"),
  STREAM_WRONG_LAST_MSG_ID(400, 10070, "wrong last msg ID: {id}"),
  STREAM_WRONG_LAST_SEQUENCE(400, 10071, "wrong last sequence: {seq}"),
  STREAM_REPLICAS_NOT_SUPPORTED(500, 10074, "replicas > 1 not supported in non-clustered mode"),
  SEQUENCE_NOT_FOUND(400, 10078, "sequence {seq} not found"),
  CONSUMER_DELIVER_TO_WILDCARDS(400, 10079, "consumer deliver subject has wildcards"),
  CONSUMER_PUSH_MAX_WAITING(400, 10080, "consumer in push mode can not set max waiting"),
  CONSUMER_SMALL_HEARTBEAT(400, 10083, "consumer idle heartbeat needs to be >= 100ms"),
  CONSUMER_HEARTBEAT_REQUIRES_PUSH(400, 10088, "consumer idle heartbeat requires a push based consumer"),
  CONSUMER_FLOW_CONTROL_REQUIRES_PUSH(400, 10089, "consumer flow control requires a push based consumer"),
  CONSUMER_FILTER_NOT_SUBSET(400, 10093, "consumer filter subject is not a valid subset of the interest subjects"),
  CONSUMER_INVALID_POLICY(400, 10094, "{err}"),
  CONSUMER_WQ_REQUIRES_EXPLICIT_ACK(400, 10098, "workqueue stream requires explicit ack"),
  CONSUMER_WQ_MULTIPLE_UNFILTERED(400, 10099, "multiple non-filtered consumers not allowed on workqueue stream"),
  CONSUMER_WQ_NOT_UNIQUE(400, 10100, "filtered consumer not unique on workqueue stream"),
  CONSUMER_WQ_NOT_DELIVER_ALL(400, 10101, "consumer must be deliver all on workqueue stream"),
  CONSUMER_BAD_DURABLE_NAME(400, 10103, "durable name can not contain '.', '*', '>'"),
  CONSUMER_FLOW_CONTROL_NEEDS_HEARTBEATS(400, 10108, "consumer with flow control also needs heartbeats"),
  CONSUMER_MAX_DELIVER_BACKOFF(400, 10116, "max deliver is required to be > length of backoff values"),
  CONSUMER_CREATE_FILTER_SUBJECT_MISMATCH(400, 10131,
      "Consumer create request did not match filtered subject from create subject"),
  CONSUMER_CREATE_DURABLE_AND_NAME_MISMATCH(400, 10132, "Consumer Durable and Name have to be equal if both are provided"),
  CONSUMER_DUPLICATE_FILTER_SUBJECTS(400, 10136, "consumer cannot have both FilterSubject and FilterSubjects specified"),
  CONSUMER_OVERLAPPING_FILTERS(400, 10138, "consumer subject filters cannot overlap"),
  CONSUMER_EMPTY_FILTER(400, 10139, "consumer filter in FilterSubjects cannot be empty"),
  CONSUMER_ALREADY_EXISTS(400, 10148, "consumer already exists"),
  CONSUMER_DOES_NOT_EXIST(400, 10149, "consumer does not exist"),
  NOT_ENABLED(503, 10076, "JetStream not enabled"),
  STREAM_STORE_FAILED(503, 10077, "{err}"),
  STREAM_SEALED(400, 10109, "invalid operation on sealed stream"),
  STREAM_PURGE_FAILED(500, 10110, "{err}"),
  STREAM_ROLLUP_FAILED(500, 10111, "{err}"),
  STREAM_NAME_CONTAINS_PATH_SEPARATORS(400, 10128, "Stream name can not contain path separators"),
  STREAM_WRONG_LAST_SEQUENCE_CONSTANT(400, 10164, "wrong last sequence"),
  STREAM_TOO_MANY_REQUESTS(429, 10167, "too many requests"),
  STREAM_TRANSFORM_INVALID_SOURCE(400, 10155, "stream transform source: {err}"),
  STREAM_TRANSFORM_INVALID_DESTINATION(400, 10156, "stream transform: {err}");

  private final int code;
  private final int errCode;
  private final String description;

  JsError(int code, int errCode, String description) {
    this.code = code;
    this.errCode = errCode;
    this.description = description;
  }

  public int errCode() {
    return errCode;
  }

  /** {@code {"code","err_code","description"}} with the placeholder filled in. */
  public JsonObject json(String fill) {
    String d = description.replace("{err}", fill == null ? "" : fill).replace("{seq}", fill == null ? "" : fill)
        .replace("{id}", fill == null ? "" : fill);
    return new JsonObject().put("code", code).put("err_code", errCode).put("description", d);
  }

  public JsApiException exception(String fill) {
    return new JsApiException(this, fill);
  }

  public JsApiException exception() {
    return new JsApiException(this, null);
  }
}
