using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Native;

/// <summary>
/// Runs a native program: starts the async method on first dispatch and afterwards resumes the
/// continuation its last awaited kernel operation left behind.
/// </summary>
internal sealed class AsyncDriver : ThreadDriver
{
    private readonly NativeMain? _main;
    private readonly ulong _entry;
    private NativeContext? _ctx;
    private Task? _task;
    private Action? _continuation;
    private bool _started;

    internal long ComputeLeft;

    public AsyncDriver(NativeMain? main, ulong entry = 0)
    {
        _main = main;
        _entry = entry;
    }

    internal void SetContinuation(Action continuation) => _continuation = continuation;

    public override void Run(L4Thread t)
    {
        _ctx ??= new NativeContext(t, this);
        if (ComputeLeft > 0 && !t.Kernel.ContinueCompute(t, this))
            return;
        if (!_started)
        {
            _started = true;
            try
            {
                _task = _main is null ? _ctx.InvalidEntryAsync(_entry) : _main(_ctx);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Stop(t, $"program failed: {e.GetType().Name}: {e.Message}");
                return;
            }
        }
        else if (t.ExceptionPending && _continuation is not null)
        {
            t.ExceptionPending = false;
            var c = _continuation;
            _continuation = null;
            _ctx.QueueTriggeredException(c);
        }
        else if (_continuation is { } c)
        {
            _continuation = null;
            c();
        }
        else
        {
            return;
        }
        if (!ReferenceEquals(t.Driver, this) || t.IsDead)
            return;
        if (_task is { IsCompleted: true } done)
        {
            Stop(t, done.IsFaulted ? $"program failed: {done.Exception?.InnerException?.Message}" : done.IsCanceled ? "program canceled" : "program ended");
            return;
        }
        if (_continuation is null)
            Stop(t, "program awaited something that is not a kernel operation");
    }

    private void Stop(L4Thread t, string reason)
    {
        if (ReferenceEquals(t.Driver, this))
            t.Kill(reason);
    }
}
