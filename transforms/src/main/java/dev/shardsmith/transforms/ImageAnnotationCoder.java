package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Targets;
import dev.shardsmith.transforms.kernels.annotation.ImageAnnotation;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** Compact deterministic coder for {@link ImageAnnotation} (boxes and keypoints; never a mask). */
final class ImageAnnotationCoder extends AtomicCoder<ImageAnnotation> {
  private static final ImageAnnotationCoder INSTANCE = new ImageAnnotationCoder();

  static ImageAnnotationCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ImageAnnotation a, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    nullable(out, a.stem());
    out.writeUTF(a.source());
    out.writeInt(a.width());
    out.writeInt(a.height());
    nullable(out, a.error());
    out.writeBoolean(a.targets() != null);
    if (a.targets() != null) {
      Targets t = a.targets();
      out.writeInt(t.boxCount());
      for (int i = 0; i < t.boxCount(); i++) {
        for (int j = 0; j < 4; j++) {
          out.writeFloat(t.boxes()[4 * i + j]);
        }
        out.writeUTF(t.boxLabels()[i]);
        out.writeInt(t.boxClasses()[i]);
        out.writeByte(t.boxFlags()[i]);
      }
      out.writeInt(t.keypointCount());
      for (int i = 0; i < t.keypointCount(); i++) {
        for (int j = 0; j < 3; j++) {
          out.writeFloat(t.keypoints()[3 * i + j]);
        }
        out.writeUTF(t.keypointNames()[i]);
      }
      out.writeInt(t.maskFile() == null ? -1 : t.maskFile().length);
      if (t.maskFile() != null) {
        out.write(t.maskFile());
      }
    }
    out.flush();
  }

  @Override
  public ImageAnnotation decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    String stem = nullable(in);
    String source = in.readUTF();
    int w = in.readInt();
    int h = in.readInt();
    String error = nullable(in);
    Targets t = null;
    if (in.readBoolean()) {
      int n = in.readInt();
      float[] boxes = new float[4 * n];
      String[] labels = new String[n];
      int[] classes = new int[n];
      byte[] flags = new byte[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < 4; j++) {
          boxes[4 * i + j] = in.readFloat();
        }
        labels[i] = in.readUTF();
        classes[i] = in.readInt();
        flags[i] = in.readByte();
      }
      int k = in.readInt();
      float[] kp = new float[3 * k];
      String[] names = new String[k];
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < 3; j++) {
          kp[3 * i + j] = in.readFloat();
        }
        names[i] = in.readUTF();
      }
      t = new Targets(boxes, labels, classes, flags, kp, names, null);
      int maskLength = in.readInt();
      if (maskLength >= 0) {
        byte[] maskFile = new byte[maskLength];
        in.readFully(maskFile);
        t = t.withMaskFile(maskFile);
      }
    }
    return new ImageAnnotation(stem, source, w, h, t, error);
  }

  @Override
  public void verifyDeterministic() {}

  private static void nullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String nullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
