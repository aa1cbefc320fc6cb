package dev.shardsmith.transforms.kernels.shard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.hash.ArrowBufHasher;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Arrow's canonical {@code arrow.fixed_shape_tensor} extension type, which Arrow Java (18.x) does
 * not ship: each value is one tensor of a fixed {@code shape}, stored row-major as a {@code
 * FixedSizeList<T>[prod(shape)]}. The serialized metadata is {@code {"shape":[H,W,C]}}, plus {@code
 * "dim_names"} when given; the value type {@code T} lives in the storage field's child, as the spec
 * says. pyarrow reads such a field as its {@code FixedShapeTensorType} (per the canonical extension
 * spec; not checked against pyarrow here). Only the default row-major layout is supported: a file
 * whose metadata holds a non-identity {@code permutation} is refused.
 *
 * <p>Register once per JVM before reading ({@link #ensureRegistered()}; {@link ArrowShardFile} does
 * it), so a reader gets this type back instead of the bare storage type.
 *
 * <pre>{@code
 * FixedShapeTensorType t = FixedShapeTensorType.of(List.of(224, 224, 3), List.of("H", "W", "C"));
 * Field image = t.field("image", false, new ArrowType.Int(8, false));
 * }</pre>
 */
public final class FixedShapeTensorType extends ArrowType.ExtensionType {
  /** The canonical extension name. */
  public static final String EXTENSION_NAME = "arrow.fixed_shape_tensor";

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    ExtensionTypeRegistry.register(new FixedShapeTensorType(java.util.List.of(1), null));
  }

  private final java.util.List<Integer> shape;
  private final java.util.List<String> dimNames;
  private final int listSize;

  private FixedShapeTensorType(java.util.List<Integer> shape, java.util.List<String> dimNames) {
    this.shape = java.util.List.copyOf(shape);
    this.dimNames = dimNames == null ? null : java.util.List.copyOf(dimNames);
    if (this.shape.isEmpty()) {
      throw new IllegalArgumentException("a fixed-shape tensor needs at least one dimension");
    }
    long size = 1;
    for (int d : this.shape) {
      if (d < 1) {
        throw new IllegalArgumentException("tensor dimensions must be >= 1, but shape is " + shape);
      }
      size *= d;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor of shape " + shape + " has too many values");
    }
    if (this.dimNames != null && this.dimNames.size() != this.shape.size()) {
      throw new IllegalArgumentException(
          "dim_names " + dimNames + " must name every dimension of shape " + shape);
    }
    this.listSize = (int) size;
  }

  /** A tensor type of this row-major shape; {@code dimNames} may be null. */
  public static FixedShapeTensorType of(
      java.util.List<Integer> shape, java.util.List<String> dimNames) {
    return new FixedShapeTensorType(shape, dimNames);
  }

  /** Registers this type in {@link ExtensionTypeRegistry} (idempotent, thread-safe). */
  public static void ensureRegistered() {
    // The static initializer registers; this call only makes sure the class is initialized.
  }

  public java.util.List<Integer> shape() {
    return shape;
  }

  /** The dimension names, or null. */
  public java.util.List<String> dimNames() {
    return dimNames;
  }

  /** Values per tensor: the product of the shape. */
  public int listSize() {
    return listSize;
  }

  /** A field of this type whose tensors hold {@code valueType} values (non-nullable elements). */
  public Field field(String name, boolean nullable, ArrowType valueType) {
    Field item = new Field("item", FieldType.notNullable(valueType), null);
    return new Field(name, new FieldType(nullable, this, null), java.util.List.of(item));
  }

  @Override
  public ArrowType storageType() {
    return new ArrowType.FixedSizeList(listSize);
  }

  @Override
  public String extensionName() {
    return EXTENSION_NAME;
  }

  @Override
  public boolean extensionEquals(ArrowType.ExtensionType other) {
    return other instanceof FixedShapeTensorType t
        && shape.equals(t.shape)
        && Objects.equals(dimNames, t.dimNames);
  }

  @Override
  public String serialize() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode s = root.putArray("shape");
    shape.forEach(s::add);
    if (dimNames != null) {
      ArrayNode n = root.putArray("dim_names");
      dimNames.forEach(n::add);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public ArrowType deserialize(ArrowType storageType, String serializedData) {
    if (!(storageType instanceof ArrowType.FixedSizeList)) {
      throw new IllegalArgumentException(
          EXTENSION_NAME + " needs FixedSizeList storage, but was " + storageType);
    }
    JsonNode root;
    try {
      root = JSON.readTree(serializedData);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          EXTENSION_NAME + " metadata is not JSON: " + serializedData, e);
    }
    JsonNode s = root == null ? null : root.get("shape");
    if (s == null || !s.isArray()) {
      throw new IllegalArgumentException(
          EXTENSION_NAME + " metadata has no shape array: " + serializedData);
    }
    java.util.List<Integer> shape = new ArrayList<>();
    s.forEach(d -> shape.add(d.asInt()));
    java.util.List<String> names = null;
    JsonNode n = root.get("dim_names");
    if (n != null && n.isArray()) {
      names = new ArrayList<>();
      for (JsonNode d : n) {
        names.add(d.asText());
      }
    }
    JsonNode p = root.get("permutation");
    if (p != null && p.isArray()) {
      for (int i = 0; i < p.size(); i++) {
        if (p.get(i).asInt() != i) {
          throw new IllegalArgumentException(
              EXTENSION_NAME + ": only the row-major layout is supported, but was " + p);
        }
      }
    }
    FixedShapeTensorType t = new FixedShapeTensorType(shape, names);
    int storageSize = ((ArrowType.FixedSizeList) storageType).getListSize();
    if (storageSize != t.listSize) {
      throw new IllegalArgumentException(
          EXTENSION_NAME
              + " shape "
              + shape
              + " holds "
              + t.listSize
              + " values, but the storage list size is "
              + storageSize);
    }
    return t;
  }

  @Override
  public FieldVector getNewVector(String name, FieldType fieldType, BufferAllocator allocator) {
    FieldType storage =
        new FieldType(
            fieldType.isNullable(),
            storageType(),
            fieldType.getDictionary(),
            fieldType.getMetadata());
    return new Vector(
        new Field(name, fieldType, null),
        allocator,
        new FixedSizeListVector(name, allocator, storage, null));
  }

  @Override
  public int hashCode() {
    return Objects.hash(EXTENSION_NAME, shape, dimNames);
  }

  @Override
  public String toString() {
    return "FixedShapeTensorType" + shape + (dimNames == null ? "" : dimNames);
  }

  /**
   * A column of fixed-shape tensors over a {@link FixedSizeListVector}; write and read the tensors
   * through {@link #getUnderlyingVector()} and its data vector.
   */
  public static final class Vector extends ExtensionTypeVector<FixedSizeListVector> {
    private final Field field;

    Vector(Field field, BufferAllocator allocator, FixedSizeListVector storage) {
      super(field, allocator, storage);
      this.field = field;
    }

    @Override
    public Field getField() {
      // The storage vector knows the children; the extension type comes from our field.
      return new Field(
          field.getName(), field.getFieldType(), getUnderlyingVector().getField().getChildren());
    }

    /** The tensor at {@code index} as the storage's list of values, or null. */
    @Override
    public Object getObject(int index) {
      return getUnderlyingVector().getObject(index);
    }

    @Override
    public int hashCode(int index) {
      return getUnderlyingVector().hashCode(index);
    }

    @Override
    public int hashCode(int index, ArrowBufHasher hasher) {
      return getUnderlyingVector().hashCode(index, hasher);
    }
  }
}
