package io.github.gatlingjwt.testkit;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link KeycloakServer} chooses the Java 21+ home Keycloak runs on, without starting it. */
class KeycloakServerJavaHomeTest {

  @TempDir Path dir;

  private Path javaHome(String name, String version) throws IOException {
    Path home = dir.resolve(name);
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(
        home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  @Test
  void readsTheFeatureVersionOfTheReleaseFile() throws IOException {
    assertEquals(17, KeycloakServer.javaMajorVersion(javaHome("jdk17", "17.0.15")));
    assertEquals(25, KeycloakServer.javaMajorVersion(javaHome("jdk25", "25")));
    assertEquals(8, KeycloakServer.javaMajorVersion(javaHome("jdk8", "1.8.0_402")));
    assertEquals(0, KeycloakServer.javaMajorVersion(dir.resolve("missing")));
  }

  @Test
  void prefersJavaHomeWhenItIsNewEnough() throws IOException {
    Path jdk21 = javaHome("jdk21", "21.0.5");
    Path jvms = Files.createDirectories(dir.resolve("jvm"));
    Path running = javaHome("running17", "17.0.15");

    assertEquals(
        jdk21, KeycloakServer.findJavaHome(Map.of("JAVA_HOME", jdk21.toString()), running, jvms));
  }

  @Test
  void scansTheJvmFolderForTheNewestJava21OrLater() throws IOException {
    Path jvms = dir.resolve("jvm");
    Files.createDirectories(jvms);
    Path jdk17 = javaHome("jvm/java-17", "17.0.15");
    javaHome("jvm/java-21", "21.0.5");
    Path jdk25 = javaHome("jvm/temurin-25", "25.0.3");

    assertEquals(
        jdk25, KeycloakServer.findJavaHome(Map.of("JAVA_HOME", jdk17.toString()), jdk17, jvms));
  }

  @Test
  void keycloakJavaHomeWinsAndMustBeJava21() throws IOException {
    Path jdk17 = javaHome("jdk17", "17.0.15");
    Path jdk21 = javaHome("jdk21", "21.0.5");
    Path jvms = Files.createDirectories(dir.resolve("jvm"));

    assertEquals(
        jdk21,
        KeycloakServer.findJavaHome(Map.of("KEYCLOAK_JAVA_HOME", jdk21.toString()), jdk17, jvms));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                KeycloakServer.findJavaHome(
                    Map.of("KEYCLOAK_JAVA_HOME", jdk17.toString()), jdk21, jvms));
    assertEquals(
        "KEYCLOAK_JAVA_HOME="
            + jdk17
            + " is Java 17, but Keycloak 26 needs Java 21 or newer: point it at a JDK 21 or newer.",
        e.getMessage());
  }

  @Test
  void saysWhatToDoWhenNoneIsFound() throws IOException {
    Path jdk17 = javaHome("jdk17", "17.0.15");
    Path jvms = Files.createDirectories(dir.resolve("jvm"));

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> KeycloakServer.findJavaHome(Map.of("JAVA_HOME", jdk17.toString()), jdk17, jvms));
    assertEquals(
        "Keycloak 26 needs Java 21 or newer; none found in JAVA_HOME or "
            + jvms
            + ": install one or set KEYCLOAK_JAVA_HOME.",
        e.getMessage());
  }
}
