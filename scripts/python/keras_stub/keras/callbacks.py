class EarlyStopping:
    def __init__(self, monitor='val_loss', min_delta=0, patience=0, verbose=0, mode='auto', baseline=None, restore_best_weights=False,
                 start_from_epoch=0):
        self.monitor = monitor
        self.patience = patience
