package io.dafedge.publish.sparkplug;

import io.dafedge.publish.Topics;

/**
 * Where the appliance sits in the Sparkplug B namespace, {@code spBv1.0/<group>/<type>/<node>[/<device>]}: one edge
 * node per appliance, one device per camera.
 */
public record SparkplugIds(String group, String node) {
    public static final String NAMESPACE = "spBv1.0";

    public SparkplugIds {
        Topics.checked("Sparkplug group", group);
        Topics.checked("Sparkplug edge node", node);
    }

    public String nbirth() {
        return nodeTopic("NBIRTH");
    }

    public String ndeath() {
        return nodeTopic("NDEATH");
    }

    public String ndata() {
        return nodeTopic("NDATA");
    }

    public String ncmd() {
        return nodeTopic("NCMD");
    }

    public String dbirth(String camera) {
        return deviceTopic("DBIRTH", camera);
    }

    public String ddata(String camera) {
        return deviceTopic("DDATA", camera);
    }

    private String nodeTopic(String type) {
        return NAMESPACE + "/" + group + "/" + type + "/" + node;
    }

    private String deviceTopic(String type, String camera) {
        return nodeTopic(type) + "/" + Topics.checked("camera", camera);
    }
}
