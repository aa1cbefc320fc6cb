package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredLabelsTest {
  @Test
  void noneDeclaredAllowsEveryLabel() {
    assertTrue(DeclaredLabels.ANY.allows("anything", "a#1"));
    assertTrue(new DeclaredLabels(List.of(), true).allows("anything", "a#1"));
  }

  @Test
  void anUnknownLabelIsRejectedWithItsName() {
    DeclaredLabels labels = new DeclaredLabels(List.of("bag", "coat"), false);
    assertTrue(labels.allows("coat", "a#1"));
    assertFalse(labels.allows("art", "a#1"));
    assertEquals("label \"art\" is not in input.labels", DeclaredLabels.unknown("art"));
  }

  @Test
  void withFailAnUnknownLabelFailsTheRunNamingIdAndAllowedLabels() {
    DeclaredLabels labels = new DeclaredLabels(List.of("bag", "coat"), true);
    assertTrue(labels.allows("bag", "a#1"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> labels.allows("art", "a#1"));
    assertEquals(
        "label \"art\" of a#1 is not in input.labels [bag, coat] (input.unknown_label = fail)",
        e.getMessage());
  }
}
