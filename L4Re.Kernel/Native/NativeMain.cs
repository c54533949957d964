namespace L4Re.Kernel.Native;

/// <summary>
/// The entry point of a native L4Re program (a root task, a pager, a server, a trusted micro-app)
/// written as an ordinary C# async method. Every kernel operation it awaits through
/// <paramref name="context"/> suspends the kernel thread until the operation completes; the kernel's
/// scheduler runs the threads deterministically on one virtual CPU. Only kernel operations may be
/// awaited: awaiting anything else (a <see cref="System.Threading.Tasks.Task.Delay(int)"/>, I/O) stops the
/// thread with an error, since it would leave the deterministic schedule.
/// </summary>
/// <param name="context">The thread's view of the kernel.</param>
/// <returns>The program; when it completes the thread stops.</returns>
public delegate Task NativeMain(NativeContext context);
