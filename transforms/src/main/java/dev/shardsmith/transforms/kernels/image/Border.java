package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a geometric op shows where it reads outside its input frame: {@code constant} (the op's
 * {@code fill} gray level), {@code reflect} (mirror without repeating the edge pixel, OpenCV's
 * {@code BORDER_REFLECT_101}) or {@code replicate} (repeat the edge pixel).
 */
public enum Border {
  CONSTANT(BORDER_CONSTANT),
  REFLECT(BORDER_REFLECT_101),
  REPLICATE(BORDER_REPLICATE);

  private final int cv;

  Border(int cv) {
    this.cv = cv;
  }

  /** The OpenCV border flag. */
  public int cv() {
    return cv;
  }

  /**
   * The name in configs and applied records: {@code constant}, {@code reflect}, {@code replicate}.
   */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The names, for error messages and config choices. */
  public static List<String> keys() {
    return Arrays.stream(values()).map(Border::key).toList();
  }

  /** The border named {@code key}; the error names {@code where} and the allowed values. */
  public static Border of(String where, String key) {
    for (Border b : values()) {
      if (b.key().equals(key)) {
        return b;
      }
    }
    throw new IllegalArgumentException(where + " must be one of " + keys() + ", but was " + key);
  }
}
