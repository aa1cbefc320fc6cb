package dev.shardsmith.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** Compact, deterministic coder for {@link Rejected}. */
public final class RejectedCoder extends AtomicCoder<Rejected> {
  private static final RejectedCoder INSTANCE = new RejectedCoder();

  private RejectedCoder() {}

  public static RejectedCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Rejected r, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeUTF(r.source());
    out.writeUTF(r.sampleId());
    out.writeBoolean(r.wholeSource());
    out.writeUTF(r.stage());
    out.writeUTF(r.reason());
    out.writeUTF(truncate(r.detail()));
    out.flush();
  }

  @Override
  public Rejected decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    return new Rejected(
        in.readUTF(), in.readUTF(), in.readBoolean(), in.readUTF(), in.readUTF(), in.readUTF());
  }

  @Override
  public void verifyDeterministic() {}

  /** writeUTF holds at most 64 KiB; a detail that long is cut, with a marker. */
  private static String truncate(String s) {
    return s.length() <= 4000 ? s : s.substring(0, 4000) + "...";
  }
}
