namespace L4Re.Uvmm.Vz;

/// <summary>How a <see cref="LinuxUserHarness"/> process ended.</summary>
public enum LinuxUserStop
{
    /// <summary>exit or exit_group.</summary>
    Exited,
    /// <summary>An exception Linux would turn into a signal (SIGILL, SIGSEGV, SIGBUS, SIGTRAP, SIGFPE).</summary>
    Signaled,
    /// <summary>The instruction limit was reached.</summary>
    Limit,
    /// <summary>A VM exit the harness cannot handle.</summary>
    Fault,
}

/// <summary>The outcome of a user-mode run.</summary>
/// <param name="Stop">How the process ended.</param>
/// <param name="ExitCode">The exit status (for <see cref="LinuxUserStop.Exited"/>).</param>
/// <param name="Signal">The signal number Linux would deliver (for <see cref="LinuxUserStop.Signaled"/>).</param>
/// <param name="Stdout">Bytes written to file descriptor 1.</param>
/// <param name="Stderr">Bytes written to file descriptor 2.</param>
/// <param name="Instructions">Guest instructions executed (user code and the harness's kernel stub).</param>
/// <param name="Detail">A description of the last exception or exit.</param>
public sealed record LinuxUserResult(LinuxUserStop Stop, int ExitCode, int Signal, byte[] Stdout, byte[] Stderr, long Instructions, string Detail);
