package dev.shardsmith.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * Compact, deterministic binary coder for {@link Sample}: common fields, then a modality tag and
 * the payload as raw bytes and float arrays (no Java serialization).
 */
public final class SampleCoder extends AtomicCoder<Sample> {
  private static final SampleCoder INSTANCE = new SampleCoder();

  private SampleCoder() {}

  public static SampleCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Sample s, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeUTF(s.id());
    writeStrings(out, s.sourceIds());
    writeNullable(out, s.group());
    writeStrings(out, s.labels());
    out.writeByte(s.split().ordinal());
    out.writeInt(s.fold());
    out.writeUTF(s.payloadHash());
    out.writeInt(s.copyCount());
    out.writeInt(s.copyIndex());
    writeNullable(out, s.derivedKind());
    writeApplied(out, s.applied());
    writePayload(out, s.payload());
    out.flush();
  }

  @Override
  public Sample decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    Sample.Builder b = Sample.builder();
    b.id(in.readUTF());
    b.sourceIds(readStrings(in));
    b.group(readNullable(in));
    b.labels(readStrings(in));
    b.split(Split.values()[in.readByte()]);
    b.fold(in.readInt());
    b.payloadHash(in.readUTF());
    b.copyCount(in.readInt());
    int copyIndex = in.readInt();
    String kind = readNullable(in);
    if (kind != null) {
      b.derived(kind, copyIndex);
    }
    b.applied(readApplied(in));
    b.payload(readPayload(in));
    return b.build();
  }

  @Override
  public void verifyDeterministic() {}

  private static void writePayload(DataOutputStream out, Payload p) throws IOException {
    out.writeByte(p.modality().ordinal());
    if (p instanceof ImagePayload img) {
      writeImage(out, img);
    } else if (p instanceof VideoPayload v) {
      out.writeUTF(v.videoId());
      out.writeInt(v.frames().size());
      for (int i = 0; i < v.frames().size(); i++) {
        out.writeLong(v.ptsMicros()[i]);
        writeImage(out, v.frames().get(i));
      }
    } else if (p instanceof TextPayload t) {
      writeBytes(out, t.text().getBytes(StandardCharsets.UTF_8));
    } else if (p instanceof SeriesPayload s) {
      out.writeUTF(s.seriesId());
      out.writeLong(s.start());
      out.writeInt(s.length());
      out.writeInt(s.channels());
      writeFloats(out, s.values());
      writeFloats(out, s.horizon());
    } else {
      FeaturePayload f = (FeaturePayload) p;
      writeFloats(out, f.numeric());
      out.writeInt(f.categorical().length);
      for (String c : f.categorical()) {
        writeNullable(out, c);
      }
    }
  }

  private static Payload readPayload(DataInputStream in) throws IOException {
    Modality m = Modality.values()[in.readByte()];
    return switch (m) {
      case IMAGE -> readImage(in);
      case VIDEO -> {
        String videoId = in.readUTF();
        int n = in.readInt();
        long[] pts = new long[n];
        List<ImagePayload> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          pts[i] = in.readLong();
          frames.add(readImage(in));
        }
        yield new VideoPayload(videoId, pts, frames);
      }
      case TEXT -> new TextPayload(new String(readBytes(in), StandardCharsets.UTF_8));
      case SERIES -> {
        String seriesId = in.readUTF();
        long start = in.readLong();
        int length = in.readInt();
        int channels = in.readInt();
        yield new SeriesPayload(seriesId, start, length, channels, readFloats(in), readFloats(in));
      }
      case FEATURES -> {
        float[] numeric = readFloats(in);
        String[] cats = new String[in.readInt()];
        for (int i = 0; i < cats.length; i++) {
          cats[i] = readNullable(in);
        }
        yield new FeaturePayload(numeric, cats);
      }
    };
  }

  private static void writeImage(DataOutputStream out, ImagePayload img) throws IOException {
    writeBytes(out, img.bytes());
    out.writeUTF(img.format());
    out.writeInt(img.width());
    out.writeInt(img.height());
    out.writeInt(img.channels());
    out.writeByte(img.orientation());
    writeTargets(out, img.targets());
  }

  private static void writeTargets(DataOutputStream out, Targets t) throws IOException {
    out.writeBoolean(!t.isEmpty());
    if (t.isEmpty()) {
      return;
    }
    writeFloats(out, t.boxes());
    writeStrings(out, List.of(t.boxLabels()));
    for (int c : t.boxClasses()) {
      out.writeInt(c);
    }
    out.write(t.boxFlags());
    writeFloats(out, t.keypoints());
    writeStrings(out, List.of(t.keypointNames()));
    out.writeByte(t.mask() != null ? 1 : t.maskFile() != null ? 2 : 0);
    if (t.mask() != null) {
      writeBytes(out, t.mask());
    } else if (t.maskFile() != null) {
      writeBytes(out, t.maskFile());
    }
  }

  private static Targets readTargets(DataInputStream in) throws IOException {
    if (!in.readBoolean()) {
      return Targets.NONE;
    }
    float[] boxes = readFloats(in);
    String[] labels = readStrings(in).toArray(new String[0]);
    int[] classes = new int[labels.length];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = in.readInt();
    }
    byte[] flags = new byte[labels.length];
    in.readFully(flags);
    float[] keypoints = readFloats(in);
    String[] names = readStrings(in).toArray(new String[0]);
    byte kind = in.readByte();
    Targets t =
        new Targets(
            boxes, labels, classes, flags, keypoints, names, kind == 1 ? readBytes(in) : null);
    return kind == 2 ? t.withMaskFile(readBytes(in)) : t;
  }

  private static ImagePayload readImage(DataInputStream in) throws IOException {
    byte[] bytes = readBytes(in);
    String format = in.readUTF();
    int w = in.readInt();
    int h = in.readInt();
    int c = in.readInt();
    int orientation = in.readByte();
    Targets targets = readTargets(in);
    ImagePayload img =
        ImagePayload.RAW.equals(format)
            ? ImagePayload.raw(bytes, w, h, c)
            : ImagePayload.RAW_FLOAT32.equals(format)
                ? ImagePayload.rawFloat32(bytes, w, h, c)
                : ImagePayload.encoded(bytes, format, w, h, c, orientation);
    return targets.isEmpty() ? img : img.withTargets(targets);
  }

  private static void writeApplied(DataOutputStream out, Applied a) throws IOException {
    out.writeInt(a.version());
    out.writeInt(a.ops().size());
    for (Applied.Op op : a.ops()) {
      out.writeUTF(op.op());
      out.writeInt(op.position());
      out.writeInt(op.params().size());
      for (var e : op.params().entrySet()) {
        out.writeUTF(e.getKey());
        Object v = e.getValue();
        if (v instanceof Double d) {
          out.writeByte('d');
          out.writeDouble(d);
        } else if (v instanceof Long l) {
          out.writeByte('l');
          out.writeLong(l);
        } else {
          out.writeByte('s');
          out.writeUTF((String) v);
        }
      }
    }
  }

  private static Applied readApplied(DataInputStream in) throws IOException {
    int version = in.readInt();
    int n = in.readInt();
    List<Applied.Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      int pos = in.readInt();
      int k = in.readInt();
      SortedMap<String, Object> params = new TreeMap<>();
      for (int j = 0; j < k; j++) {
        String key = in.readUTF();
        byte tag = in.readByte();
        params.put(
            key, tag == 'd' ? (Object) in.readDouble() : tag == 'l' ? in.readLong() : in.readUTF());
      }
      ops.add(new Applied.Op(name, pos, params));
    }
    return n == 0 && version == Applied.VERSION ? Applied.NONE : Applied.of(version, ops);
  }

  static void writeNullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static void writeStrings(DataOutputStream out, List<String> xs) throws IOException {
    out.writeInt(xs.size());
    for (String x : xs) {
      out.writeUTF(x);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<String> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      xs.add(in.readUTF());
    }
    return xs;
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  private static void writeFloats(DataOutputStream out, float[] xs) throws IOException {
    out.writeInt(xs.length);
    for (float x : xs) {
      out.writeFloat(x);
    }
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    float[] xs = new float[in.readInt()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = in.readFloat();
    }
    return xs;
  }
}
