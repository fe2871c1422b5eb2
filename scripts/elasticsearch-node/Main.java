// A single Elasticsearch node for development and CI, started in-process from the Maven Central
// jars (scripts/elasticsearch builds and runs it). Elastic ships no server on any registry this
// project reaches, but the server core and its HTTP transport are published as libraries.
//
// Usage: java -cp SERVER_CLASSPATH:CLASSES Main MODULES HOME PORT
//   MODULES holds transport-netty4/ with that module's jar (the pom puts it there), HOME the
//   node's data, logs and config.
//
// Calling Node directly skips Elasticsearch's launcher, and with it the refusal to run as root,
// the entitlement agent and the bootstrap checks: fine on loopback for tests, never for production.
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

public final class Main {
    private static final String NETTY = "transport-netty4";

    public static void main(String[] args) throws Exception {
        Path modules = Path.of(args[0]).toAbsolutePath();
        Path home = Path.of(args[1]).toAbsolutePath();
        String port = args[2];
        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "amrm-dev")
            .put("node.name", "amrm-dev")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("discovery.type", "single-node")
            .put("logger.level", "INFO")  // without it only errors reach the log
            // A full disk on a developer's machine must not make the test indices read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();
        LogConfigurator.configureESLogging();
        LogConfigurator.configureWithoutConfig(settings);

        // The HTTP transport is a module: Elasticsearch loads it from its own directory, in a class
        // loader of its own, and finds it by the descriptor its jar carries. Written without
        // "modulename", it loads as a plain (non-JPMS) module, since the server itself is on the
        // classpath here rather than a named module the transport's module could read.
        writeNettyDescriptor(modules.resolve(NETTY));
        // false: the server is on the classpath, not a named module whose exports could be added.
        PluginsLoader plugins = PluginsLoader.createPluginsLoader(
            PluginsLoader.loadModulesBundles(modules, false), Set.of(), Map.of(), false);

        Files.createDirectories(home.resolve("config"));
        Node node = new Node(new Environment(settings, home.resolve("config")), plugins);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (IOException e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        stopped.await();
    }

    private static void writeNettyDescriptor(Path dir) throws IOException {
        Properties descriptor = new Properties();
        String resource = "META-INF/es-plugins/" + NETTY + "/plugin-descriptor.properties";
        Path jar;
        try (var jars = Files.list(dir)) {
            jar = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        try (var zip = FileSystems.newFileSystem(jar); InputStream in = Files.newInputStream(zip.getPath(resource))) {
            descriptor.load(in);
        }
        descriptor.remove("modulename");
        Files.createDirectories(dir);
        try (var out = Files.newOutputStream(dir.resolve("plugin-descriptor.properties"))) {
            descriptor.store(out, "Written by Main.java from the " + NETTY + " jar");
        }
    }
}
