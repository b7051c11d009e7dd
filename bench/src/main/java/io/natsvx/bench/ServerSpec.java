package io.natsvx.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side of the comparison: a name for the report and the command that starts it. Both sides get
 * the same nats-server flags appended ({@code -a 127.0.0.1 -p <port>}), since natsvx accepts them.
 */
record ServerSpec(String name, List<String> command) {

    static ServerSpec parse(String name, String commandLine) {
        List<String> words = Arrays.asList(commandLine.trim().split("\\s+"));
        return new ServerSpec(name, List.copyOf(words));
    }

    /**
     * Why this side cannot run (program not on the PATH, a jar that is not built yet), or null if
     * it can. Lets the CLI skip a side with a message instead of failing half-way.
     */
    String missingReason() {
        String program = command.get(0);
        if (!isExecutable(program)) {
            return "'" + program + "' not found";
        }
        int jar = command.indexOf("-jar");
        if (jar >= 0 && jar + 1 < command.size() && !Files.isRegularFile(Path.of(command.get(jar + 1)))) {
            return command.get(jar + 1) + " does not exist (build it: mvn -pl server -am -DskipTests package)";
        }
        return null;
    }

    RunningServer start(int port, Path workDir, Path log, List<String> extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("-a", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(extraArgs);
        Files.createDirectories(workDir);
        Process process = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ChildProcesses.register(process);
        return new RunningServer(name, process, port);
    }

    private static boolean isExecutable(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
