using System.Runtime.CompilerServices;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Native;

/// <summary>
/// Awaits a kernel operation of a native program. The operation already entered the kernel when this
/// value was created; awaiting it suspends the thread only when the operation blocked or the thread was
/// preempted. Allocation free.
/// </summary>
public readonly struct SyscallAwaitable : ICriticalNotifyCompletion
{
    private readonly L4Thread _thread;
    private readonly AsyncDriver _driver;
    private readonly bool _completed;

    internal SyscallAwaitable(L4Thread thread, AsyncDriver driver, bool completed)
    {
        _thread = thread;
        _driver = driver;
        _completed = completed;
    }

    /// <summary>Returns this awaitable (the awaiter pattern).</summary>
    public SyscallAwaitable GetAwaiter() => this;

    /// <summary>True when the operation completed without suspending the thread.</summary>
    public bool IsCompleted => _completed;

    /// <summary>The result of the operation.</summary>
    public IpcResult GetResult() => _thread.LastResult;

    /// <inheritdoc />
    public void OnCompleted(Action continuation) => _driver.SetContinuation(continuation);

    /// <inheritdoc />
    public void UnsafeOnCompleted(Action continuation) => _driver.SetContinuation(continuation);
}
