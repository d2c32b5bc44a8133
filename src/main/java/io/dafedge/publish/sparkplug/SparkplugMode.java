package io.dafedge.publish.sparkplug;

import java.nio.file.Path;
import java.util.List;

import org.jboss.logging.Logger;

import io.dafedge.publish.MessageEncoding;
import io.dafedge.publish.MqttPublisher;
import io.dafedge.publish.Outbox;
import io.dafedge.publish.OutboxEntry;

/**
 * The appliance's results as Sparkplug B (docs/mqtt.md, "Sparkplug B"): the outbox's encoding (a DDATA per result,
 * numbered when sent; the births opening every connection), the NDEATH will, rebirth on a host's NCMD, and the
 * periodic counters. Results keep the outbox's guarantees: on disk until acknowledged, in order per camera.
 */
public final class SparkplugMode implements MessageEncoding {
    private static final Logger LOG = Logger.getLogger(SparkplugMode.class);
    /** Sparkplug asks QoS 0 of births and state updates; results are the exception (docs/mqtt.md). */
    private static final int STATE_QOS = 0;

    private final SparkplugNode node;
    private final SparkplugNode.State state;
    private final int dataQos;

    /**
     * @param dataQos QoS of a result's DDATA: 1 (default) keeps the outbox's promise that a result leaves it only
     *                acknowledged; 0 is what Sparkplug asks of data messages
     */
    public SparkplugMode(SparkplugIds ids, Path bdSeqFile, String site, boolean heatmaps, int dataQos,
            SparkplugNode.State state) {
        if (dataQos != 0 && dataQos != 1) {
            throw new IllegalArgumentException("Sparkplug data QoS must be 0 or 1, not " + dataQos);
        }
        this.node = new SparkplugNode(ids, new BdSeq(bdSeqFile), site, heatmaps);
        this.state = state;
        this.dataQos = dataQos;
    }

    /** The NDEATH, with the bdSeq of each connection as it is made. */
    public MqttPublisher.Will will() {
        return new MqttPublisher.Will(node.ids().ndeath(), node::willForNextConnection, false);
    }

    @Override
    public List<Message> messages(OutboxEntry entry) {
        SparkplugNode.Message m = node.data(entry.resultJson(), entry.heatmapPng());
        return List.of(new Message(m.topic(), m.payload(), dataQos, false));
    }

    @Override
    public List<Message> sessionStart() {
        return births();
    }

    private List<Message> births() {
        return asState(node.births(state));
    }

    private static List<Message> asState(List<SparkplugNode.Message> messages) {
        return messages.stream().map(m -> new Message(m.topic(), m.payload(), STATE_QOS, false)).toList();
    }

    /** Answers a host application's rebirth request (NCMD) with new births, in sequence with the results. */
    public void listen(MqttPublisher mqtt, Outbox outbox) {
        mqtt.subscribe(node.ids().ncmd(), 1, (topic, payload) -> {
            if (SparkplugNode.isRebirthRequest(payload)) {
                LOG.infof("Sparkplug rebirth requested on %s", topic);
                outbox.publishInSequence(this::births);
            } else {
                LOG.infof("Sparkplug NCMD on %s ignored: only %s is understood", topic, SparkplugNode.REBIRTH);
            }
        });
    }

    /** The node's and each camera's counters (NDATA, DDATA), when connected. */
    public void publishCounts(Outbox outbox) {
        outbox.publishInSequence(() -> asState(node.counts(state)));
    }

    /** The NDEATH a clean shutdown publishes itself: a clean disconnect does not fire the will. */
    public byte[] death() {
        return node.death();
    }

    public String deathTopic() {
        return node.ids().ndeath();
    }
}
