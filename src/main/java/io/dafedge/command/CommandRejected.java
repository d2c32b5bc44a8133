package io.dafedge.command;

/** Why a command is refused; the reason goes into the ack and the log as it is. */
final class CommandRejected extends Exception {
    CommandRejected(String reason) {
        super(reason, null, false, false); // an expected outcome, not a fault: no stack trace to fill
    }
}
