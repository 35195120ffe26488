package io.github.gatlingjwt;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first Java example compiles against the library as it is. */
class ReadmeSnippetTest {

  @TempDir Path dir;

  @Test
  void readmeExampleCompiles() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(block.find(), "the README has no ```java block");
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : block.group(1).split("\\n")) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    Path source = dir.resolve("ReadmeSnippet.java");
    Files.writeString(
        source, imports + "\nclass ReadmeSnippet {\n  void snippet() {\n" + body + "  }\n}\n");

    String classpath = System.getProperty("surefire.test.class.path");
    if (classpath == null || classpath.isBlank()) {
      classpath = System.getProperty("java.class.path");
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    List<String> options =
        new ArrayList<>(List.of("-classpath", classpath, "-d", dir.toString(), "-proc:none"));
    boolean ok =
        javac
            .getTask(
                errors,
                null,
                null,
                options,
                null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(source))
            .call();
    assertTrue(
        ok, "the README example does not compile:\n" + errors + "\n" + Files.readString(source));
  }
}
