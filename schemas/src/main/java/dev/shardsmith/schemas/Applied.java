package dev.shardsmith.schemas;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The versioned record of parameters actually applied to a row: one entry per op, in order, with
 * the op's position in its composition and the values it drew. Stored with every written row as
 * JSON ({@code {"v":3,"ops":[{"op":"hflip","pos":0,"params":{}}]}}), so any derived row can be
 * replayed and audited. Parameter values are numbers ({@code Double} or {@code Long}) or strings.
 */
public final class Applied {
  /**
   * The version of this record's layout; bump it when its meaning changes. 2: geometric ops may sit
   * anywhere in the op list (positions from the flattened composition), rotations record their
   * {@code border} and {@code fill}, and a fused warp is masked to each op's input frame. 3: text
   * ops record one entry per edit, params {@code index} (token index), {@code before}, {@code
   * after} (and {@code to} for a swap, {@code kind} for a paraphrase).
   */
  public static final int VERSION = 3;

  public static final Applied NONE = new Applied(VERSION, List.of());

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int version;
  private final List<Op> ops;

  private Applied(int version, List<Op> ops) {
    this.version = version;
    this.ops = List.copyOf(ops);
  }

  public static Applied of(int version, List<Op> ops) {
    return new Applied(version, ops);
  }

  /** One applied op: its name, its position in the composition and its drawn parameters. */
  public record Op(String op, int position, SortedMap<String, Object> params) {
    public Op {
      requireNonNull(op, "op");
      params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
      for (Object v : params.values()) {
        if (!(v instanceof Double || v instanceof Long || v instanceof String)) {
          throw new IllegalArgumentException("param values are Double, Long or String: " + v);
        }
      }
    }

    /** A numeric parameter, or {@code fallback} when absent. */
    public double number(String key, double fallback) {
      Object v = params.get(key);
      return v == null ? fallback : ((Number) v).doubleValue();
    }
  }

  public int version() {
    return version;
  }

  public List<Op> ops() {
    return ops;
  }

  /** This record with one more op at the end. */
  public Applied plus(Op op) {
    List<Op> more = new ArrayList<>(ops);
    more.add(op);
    return new Applied(version, more);
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("v", version);
    ArrayNode arr = root.putArray("ops");
    for (Op op : ops) {
      ObjectNode o = arr.addObject();
      o.put("op", op.op());
      o.put("pos", op.position());
      ObjectNode p = o.putObject("params");
      for (Map.Entry<String, Object> e : op.params().entrySet()) {
        if (e.getValue() instanceof Double d) {
          p.put(e.getKey(), d);
        } else if (e.getValue() instanceof Long l) {
          p.put(e.getKey(), l);
        } else {
          p.put(e.getKey(), (String) e.getValue());
        }
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Applied fromJson(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      List<Op> ops = new ArrayList<>();
      for (JsonNode o : root.get("ops")) {
        SortedMap<String, Object> params = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.get("params").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          JsonNode v = e.getValue();
          params.put(
              e.getKey(),
              v.isTextual()
                  ? v.asText()
                  : v.isIntegralNumber() ? (Object) v.asLong() : v.asDouble());
        }
        ops.add(new Op(o.get("op").asText(), o.get("pos").asInt(), params));
      }
      return new Applied(root.get("v").asInt(), ops);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an applied-parameters record: " + json, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Applied a && version == a.version && ops.equals(a.ops);
  }

  @Override
  public int hashCode() {
    return 31 * version + ops.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
