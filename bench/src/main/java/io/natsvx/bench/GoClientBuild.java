package io.natsvx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * Builds the Go load client into target/ when it is missing or older than its sources. The build
 * is offline: GOPATH mode against the nats.go sources Debian installs under /usr/share/gocode
 * (package golang-github-nats-io-go-nats-dev), with the Go build cache kept in target/ too.
 */
final class GoClientBuild {
    private static final String SYSTEM_GOPATH = "/usr/share/gocode";

    private GoClientBuild() {
    }

    static Path ensure(Path benchDir) throws IOException, InterruptedException {
        Path goPath = benchDir.resolve("go");
        Path sources = goPath.resolve("src/natsbench");
        Path target = benchDir.resolve("target");
        Path binary = target.resolve("natsbench");
        if (Files.isExecutable(binary) && !newerThan(sources, Files.getLastModifiedTime(binary))) {
            return binary;
        }
        System.out.println("building the Go load client into " + binary);
        ProcessBuilder pb = new ProcessBuilder("go", "build", "-o", binary.toString(), "natsbench")
                .directory(sources.toFile())
                .inheritIO();
        pb.environment().put("GO111MODULE", "off");
        pb.environment().put("GOPATH", goPath.toAbsolutePath() + ":" + SYSTEM_GOPATH);
        pb.environment().put("GOCACHE", target.resolve("go-cache").toAbsolutePath().toString());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run 'go' (apt-get install golang-go golang-github-nats-io-go-nats-dev)", e);
        }
        ChildProcesses.register(process);
        int status = process.waitFor();
        ChildProcesses.stop(process);
        if (status != 0) {
            throw new IOException("go build of the load client failed with status " + status);
        }
        return binary;
    }

    private static boolean newerThan(Path dir, FileTime time) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(time) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }
}
