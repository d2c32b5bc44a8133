package io.dafedge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dafedge.publish.Topics;

/** Command messages off the MQTT thread: the line from the topic, acks on the line's ack topic, a bounded queue. */
class CommandListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Topics TOPICS = new Topics("plant");

    @TempDir
    Path tmp;

    private record Sent(String topic, JsonNode ack) {
    }

    @Test
    void topicsOfCommandsAndAcks() {
        assertEquals("daf-edge/plant/+/cmd", TOPICS.commands());
        assertEquals("daf-edge/plant/l1/cmd/ack", TOPICS.commandAck("l1"));
        assertEquals("l1", TOPICS.commandLine("daf-edge/plant/l1/cmd"));
        assertNull(TOPICS.commandLine("daf-edge/plant/l1/cmd/ack"));
        assertNull(TOPICS.commandLine("daf-edge/other/l1/cmd"));
        assertNull(TOPICS.commandLine("daf-edge/plant//cmd"));
        assertNull(TOPICS.commandLine("daf-edge/plant/a/b/cmd"));
    }

    @Test
    void everyCommandIsAnsweredOnItsLinesAckTopicAndCounted() throws Exception {
        BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        try (Fixture f = new Fixture(tmp, Fixture.ALL);
             CommandListener listener = new CommandListener(TOPICS, f.commands, (topic, payload) ->
                     sent.add(new Sent(topic, read(payload))),
                     Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC))) {
            listener.message("daf-edge/plant/one/cmd", bytes("{\"id\":\"k1\",\"command\":\"set-part-id\","
                    + "\"partId\":\"P\",\"token\":\"" + Fixture.TOKEN + "\"}"));
            listener.message("daf-edge/plant/two/cmd", bytes("{\"id\":\"k2\",\"command\":\"set-part-id\","
                    + "\"partId\":\"P\"}"));
            listener.message("daf-edge/plant/one/cmd/ack", bytes("{}"));
            Sent first = sent.poll(10, TimeUnit.SECONDS);
            Sent second = sent.poll(10, TimeUnit.SECONDS);
            assertEquals("daf-edge/plant/one/cmd/ack", first.topic());
            assertEquals("{\"id\":\"k1\",\"command\":\"set-part-id\",\"line\":\"one\",\"status\":\"accepted\","
                    + "\"reason\":null,\"at\":\"2026-11-27T12:00:00Z\",\"camera\":\"solo\",\"partId\":\"P\"}",
                    first.ack().toString());
            assertEquals("daf-edge/plant/two/cmd/ack", second.topic());
            assertEquals("rejected", second.ack().get("status").asText());
            assertEquals("unauthorised: the token is missing or wrong", second.ack().get("reason").asText());
            assertNull(sent.poll(300, TimeUnit.MILLISECONDS), "a message on no command topic is not answered");
            assertEquals(1, listener.accepted());
            assertEquals(1, listener.rejected());
        }
    }

    @Test
    void whenCommandsPileUpBeyondTheQueueTheNextIsRefusedAtOnce() throws Exception {
        BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        try (Fixture f = new Fixture(tmp, Fixture.ALL);
             CommandListener listener = new CommandListener(TOPICS, f.commands, (topic, payload) ->
                     sent.add(new Sent(topic, read(payload))), Clock.systemUTC())) {
            byte[] command = bytes("{\"id\":\"q\",\"command\":\"set-part-id\",\"partId\":\"P\",\"token\":\""
                    + Fixture.TOKEN + "\"}");
            // Commands runs one command at a time under its own lock: holding it stands for a long model load
            synchronized (f.commands) {
                listener.message("daf-edge/plant/one/cmd", command);
                Thread.sleep(200); // the first is taken off the queue and waits for the lock
                for (int i = 0; i < CommandListener.QUEUE; i++) {
                    listener.message("daf-edge/plant/one/cmd", command);
                }
                listener.message("daf-edge/plant/one/cmd", command);
                Sent busy = sent.poll(10, TimeUnit.SECONDS);
                assertEquals("rejected", busy.ack().get("status").asText());
                assertEquals("q", busy.ack().get("id").asText(), "the id is echoed even so");
                assertTrue(busy.ack().get("reason").asText().startsWith("busy: 16 commands are waiting"),
                        busy.ack().toString());
            }
            for (int i = 0; i < CommandListener.QUEUE + 1; i++) {
                assertEquals("accepted", sent.poll(10, TimeUnit.SECONDS).ack().get("status").asText());
            }
            assertEquals(CommandListener.QUEUE + 1, listener.accepted());
            assertEquals(1, listener.rejected());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode read(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
