#!/usr/bin/python3
"""Interop peer for StreamGuard's integration tests: Debian's python3-confluent-kafka.

Uses confluent_kafka.avro's AvroProducer and MessageSerializer (Confluent's own Python Avro + Schema
Registry client), so the Java side is checked against code nobody here wrote. The consumer decodes
values only: StreamGuard keys are plain UTF-8 ids, which AvroConsumer would try to decode as Avro.

  produce BOOTSTRAP REGISTRY TOPIC COUNT     -> writes COUNT TextEvents, prints {"schema_id": ..}
  consume BOOTSTRAP REGISTRY TOPIC COUNT     -> prints one JSON object per decoded value
  produce-labeled BOOTSTRAP REGISTRY TOPIC COUNT SCHEMA_FILE
                                             -> writes COUNT LabeledEvents (the .avsc given: enum, map, array,
                                                nested nullable record, timestamps), prints {"schema_id": ..}
"""
import datetime
import json
import sys
import time
import uuid

from confluent_kafka import Consumer, avro
from confluent_kafka.avro import AvroProducer, CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

# A producer that knows only the required fields: the pipeline must read it with its own,
# larger reader schema (defaults filled in), which is the BACKWARD case users hit in practice.
TEXT_EVENT_MINIMAL = """
{"type": "record", "name": "TextEvent", "namespace": "io.streamguard.avro",
 "fields": [{"name": "id", "type": "string"}, {"name": "text", "type": "string"}]}
"""


def produce(bootstrap, registry, topic, count):
    producer = AvroProducer(
        {"bootstrap.servers": bootstrap, "schema.registry.url": registry},
        default_value_schema=avro.loads(TEXT_EVENT_MINIMAL))
    for i in range(count):
        producer.produce(topic=topic, value={"id": "py-%d" % i, "text": "hello from python %d é 🙂" % i})
    remaining = producer.flush(30)
    if remaining:
        sys.exit("python producer: %d messages not delivered" % remaining)
    schema_id, _, _ = CachedSchemaRegistryClient({"url": registry}).get_latest_schema(topic + "-value")
    print(json.dumps({"produced": count, "schema_id": schema_id}))


def produce_labeled(bootstrap, registry, topic, count, schema_file):
    with open(schema_file, encoding="utf-8") as f:
        schema = avro.loads(f.read())
    producer = AvroProducer(
        {"bootstrap.servers": bootstrap, "schema.registry.url": registry}, default_value_schema=schema)
    for i in range(count):
        producer.produce(topic=topic, key=None, value={
            "id": "py-labeled-%d" % i,
            "scores": {"offensive": 0.5 + i / 100.0, "hate": 0.25, "spam": 0.0},
            "sentiment": {"label": "negative", "score": 0.75} if i % 2 == 0 else None,
            "decision": ["ALLOW", "REVIEW", "BLOCK"][i % 3],
            "triggeredLabels": ["offensive"] if i % 3 else [],
            "modelVersion": "py-v1",
            "policyVersion": None,
            "truncated": False,
            "timings": {"queueWaitMs": i, "tokenizeMs": 0.5, "modelMs": 12.25, "endToEndMs": 40 + i, "batchSize": 8},
            "workerId": "python",
            "text": "labeled by python %d é 🙂" % i,
            # timestamp-millis: python's avro takes a datetime (aware, UTC) and writes epoch millis.
            "eventTime": datetime.datetime.fromtimestamp((1700000000000 + i) / 1000.0, datetime.timezone.utc),
        })
    remaining = producer.flush(30)
    if remaining:
        sys.exit("python producer: %d messages not delivered" % remaining)
    schema_id, _, _ = CachedSchemaRegistryClient({"url": registry}).get_latest_schema(topic + "-value")
    print(json.dumps({"produced": count, "schema_id": schema_id}))


def consume(bootstrap, registry, topic, count):
    decoder = MessageSerializer(CachedSchemaRegistryClient({"url": registry}))
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "python-interop-" + uuid.uuid4().hex, "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    seen, deadline = 0, time.time() + 60
    while seen < count and time.time() < deadline:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            sys.exit("python consumer: %s" % msg.error())
        value = decoder.decode_message(msg.value())
        value["_key"] = msg.key().decode("utf-8") if msg.key() is not None else None
        print(json.dumps(value, default=str, ensure_ascii=False), flush=True)
        seen += 1
    consumer.close()
    if seen < count:
        sys.exit("python consumer: got %d of %d records" % (seen, count))


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "produce-labeled":
        produce_labeled(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    elif len(sys.argv) == 6 and sys.argv[1] in ("produce", "consume"):
        mode, bootstrap, registry, topic, count = sys.argv[1:]
        (produce if mode == "produce" else consume)(bootstrap, registry, topic, int(count))
    else:
        sys.exit(__doc__)
